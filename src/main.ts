import { mount } from 'svelte';
import FramedRefusal from './components/FramedRefusal.svelte';
import { framedByOtherOrigin } from './lib/origin';
import './app.css';

const target = document.getElementById('app') ?? document.body;
// Framed by another site, the app does not start at all (src/lib/origin.ts says why): it is not
// even imported, since its modules read saved settings as they load.
if (framedByOtherOrigin()) {
  mount(FramedRefusal, { target });
} else {
  const { default: App } = await import('./App.svelte');
  mount(App, { target });
}
