/**
 * Turns a runtime's load reports into what a person wants to read: phase, percent, megabytes done
 * of total, speed and time left. Speed is a moving average over the last few seconds of samples, so
 * a burst of cached shards does not promise a finish that will not come.
 */
import type { LoadPhase, LoadReport } from '../shared/engine';

export interface DownloadProgress {
  phase: LoadPhase;
  /** 0..100 for the current phase. */
  percent: number;
  loadedBytes?: number;
  totalBytes?: number;
  /** Bytes per second over the recent window, once there is enough to tell. */
  bytesPerSecond?: number;
  /** Seconds left at the current speed, once known. */
  secondsLeft?: number;
}

interface Sample {
  at: number;
  bytes: number;
}

const WINDOW_MS = 5000;

export class ProgressTracker {
  #samples: Sample[] = [];
  #phase: LoadPhase | undefined;

  constructor(private readonly now: () => number = () => performance.now()) {}

  /** Folds one report in and returns the derived progress. */
  update(report: LoadReport): DownloadProgress {
    const at = this.now();
    if (report.phase !== this.#phase) {
      this.#phase = report.phase;
      this.#samples = [];
    }
    const progress: DownloadProgress = {
      phase: report.phase,
      percent: Math.round(Math.min(Math.max(report.fraction, 0), 1) * 1000) / 10,
      loadedBytes: report.loadedBytes,
      totalBytes: report.totalBytes,
    };
    if (report.phase !== 'downloading' || report.loadedBytes === undefined) return progress;

    this.#samples.push({ at, bytes: report.loadedBytes });
    while (this.#samples.length > 2 && at - this.#samples[0].at > WINDOW_MS) this.#samples.shift();
    const first = this.#samples[0];
    const elapsed = (at - first.at) / 1000;
    if (elapsed < 0.5 || this.#samples.length < 2) return progress;

    const bytesPerSecond = (report.loadedBytes - first.bytes) / elapsed;
    progress.bytesPerSecond = bytesPerSecond;
    if (bytesPerSecond > 0 && report.totalBytes !== undefined) {
      progress.secondsLeft = Math.max(report.totalBytes - report.loadedBytes, 0) / bytesPerSecond;
    }
    return progress;
  }
}
