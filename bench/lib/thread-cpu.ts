/**
 * CPU time per thread of the browser the bench launched, read from Linux's /proc (schedstat: time
 * on a CPU and time runnable but waiting for one, in ns). A Chromium trace does not show every
 * thread that works (SwiftShader's own threads emit no trace events), and the run-queue wait is
 * what "the page starves the engine" means on a machine with fewer cores than busy threads.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** One thread's counters at one moment. */
interface ThreadCounters {
  group: string;
  runNs: number;
  waitNs: number;
}

/** Every thread of every process below `rootPid`, keyed "pid/tid"; the machine's busy ticks. */
export interface CpuSnapshot {
  threads: Map<string, ThreadCounters>;
  machineBusyTicks: number;
  at: number;
}

/** CPU and run-queue wait per thread group over a window, in ms. */
export interface ThreadCpu {
  wallMs: number;
  /** CPU the whole machine spent (every process, this browser included), in ms of one core. */
  machineMs: number;
  groups: Record<string, { runMs: number; waitMs: number }>;
}

const read = (path: string): string | undefined => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined; // the process or thread ended meanwhile
  }
};

const TICK_MS = 10; // USER_HZ is 100 on Linux

function machineBusyTicks(): number {
  const fields = (read('/proc/stat') ?? '').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal: all but idle and iowait are work.
  const [user, nice, system, , , irq, softirq, steal] = fields;
  return user + nice + system + irq + softirq + steal;
}

/** The parent pid of every process on the machine. */
function parents(): Map<number, number> {
  const map = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = read(`/proc/${name}/stat`);
    // The name field may hold spaces and parentheses: the fields after it follow the last ')'.
    const after = stat?.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (after) map.set(Number(name), Number(after[1]));
  }
  return map;
}

function descendants(rootPid: number): number[] {
  const parentOf = parents();
  const found: number[] = [];
  for (const pid of parentOf.keys()) {
    for (let up = parentOf.get(pid); up !== undefined && up > 1; up = parentOf.get(up)) {
      if (up === rootPid) {
        found.push(pid);
        break;
      }
    }
  }
  return found;
}

/** "renderer", "gpu-process", "utility (network)", or "browser" (no --type). */
function processKind(pid: number): string | undefined {
  const cmdline = read(`/proc/${pid}/cmdline`);
  if (!cmdline?.includes('chrom')) return undefined;
  // Zygote children rewrite their command line into one space-separated string.
  const args = cmdline.split(/[\0 ]/);
  const type = args.find((arg) => arg.startsWith('--type='))?.slice('--type='.length);
  if (!type) return 'browser';
  const utility = args
    .find((arg) => arg.startsWith('--utility-sub-type='))
    ?.split('.')
    .at(-1);
  return utility ? `${type} (${utility})` : type;
}

/** Reads every Chromium thread below `rootPid` (the bench's own test process). */
export function cpuSnapshot(rootPid = process.pid): CpuSnapshot {
  const threads = new Map<string, ThreadCounters>();
  for (const pid of descendants(rootPid)) {
    const kind = processKind(pid);
    if (!kind) continue;
    let tids: string[];
    try {
      tids = readdirSync(`/proc/${pid}/task`);
    } catch {
      continue; // the process ended meanwhile
    }
    for (const tid of tids) {
      const schedstat = read(`/proc/${pid}/task/${tid}/schedstat`);
      const comm = read(`/proc/${pid}/task/${tid}/comm`)?.trim();
      if (!schedstat || !comm) continue;
      const [runNs, waitNs] = schedstat.split(' ').map(Number);
      // Chromium leaves its main threads unnamed (renaming them would rename the process).
      const thread = tid === String(pid) ? 'main' : comm;
      threads.set(`${pid}/${tid}`, { group: `${kind}: ${thread}`, runNs, waitNs });
    }
  }
  return { threads, machineBusyTicks: machineBusyTicks(), at: performance.now() };
}

/** What each thread group (process kind and thread name) did between two snapshots. */
export function cpuBetween(before: CpuSnapshot, after: CpuSnapshot): ThreadCpu {
  const groups: ThreadCpu['groups'] = {};
  for (const [key, end] of after.threads) {
    const start = before.threads.get(key);
    const runMs = (end.runNs - (start?.runNs ?? 0)) / 1e6;
    const waitMs = (end.waitNs - (start?.waitNs ?? 0)) / 1e6;
    const group = (groups[end.group] ??= { runMs: 0, waitMs: 0 });
    group.runMs += runMs;
    group.waitMs += waitMs;
  }
  return {
    wallMs: after.at - before.at,
    machineMs: (after.machineBusyTicks - before.machineBusyTicks) * TICK_MS,
    groups,
  };
}
