/**
 * Peak memory of the browser under test, read from Linux's /proc: the largest resident set any
 * process under this one reached (VmHWM; the renderer holds the wasm heap, the GPU process holds
 * SwiftShader's buffers) and the largest sum of all of them seen while sampling.
 */
import { readFileSync, readdirSync } from 'node:fs';

function descendants(root: number): number[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // The command name may hold spaces; the parent pid is the 2nd field after its closing paren.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parents.set(Number(entry), ppid);
    } catch {
      // the process ended while we looked
    }
  }
  const found: number[] = [];
  const walk = (pid: number) => {
    for (const [child, parent] of parents) {
      if (parent === pid) {
        found.push(child);
        walk(child);
      }
    }
  };
  walk(root);
  return found;
}

function statusKb(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(
      readFileSync(`/proc/${pid}/status`, 'utf8'),
    );
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

export class MemorySampler {
  #timer: ReturnType<typeof setInterval> | undefined;
  #peakSumKb = 0;
  #peakProcessKb = 0;

  start(): void {
    this.#timer = setInterval(() => this.#sample(), 250);
  }

  #sample(): void {
    const pids = descendants(process.pid);
    let sum = 0;
    for (const pid of pids) {
      sum += statusKb(pid, 'VmRSS');
      this.#peakProcessKb = Math.max(this.#peakProcessKb, statusKb(pid, 'VmHWM'));
    }
    this.#peakSumKb = Math.max(this.#peakSumKb, sum);
  }

  /** Stops sampling; peaks in bytes. */
  stop(): { peakProcess: number; peakSum: number } {
    this.#sample();
    clearInterval(this.#timer);
    return { peakProcess: this.#peakProcessKb * 1024, peakSum: this.#peakSumKb * 1024 };
  }
}
