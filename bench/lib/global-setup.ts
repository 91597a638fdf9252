import { loadavg } from 'node:os';
import { clearParts, writePart } from './parts';

/** Starts every run without the previous run's parts, noting how busy the machine is. */
export default function globalSetup(): void {
  clearParts();
  writePart('load-at-start', { loadAverage: loadavg() });
}
