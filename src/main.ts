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
  // The chat list is read from IndexedDB while the rest of the app loads and mounts: the database
  // opens and reads off this thread, so the list is ready when the page first shows (it used to be
  // read only after the mount, and waited for it).
  const history = import('./lib/state/history.svelte').then(({ HistoryState }) => {
    const state = new HistoryState();
    void state.readList();
    return state;
  });
  const [{ default: App }, historyState] = await Promise.all([import('./App.svelte'), history]);
  mount(App, { target, props: { history: historyState } });
}
