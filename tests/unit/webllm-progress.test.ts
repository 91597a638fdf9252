import { describe, expect, it } from 'vitest';
import { readWebllmProgress } from '../../workers/runtimes/webllm-progress';

const total = 1000 * 1024 * 1024;

describe('readWebllmProgress', () => {
  it('reads a download report and derives bytes from the fraction', () => {
    const report = readWebllmProgress(
      {
        progress: 0.25,
        timeElapsed: 3,
        text: 'Fetching param cache[10/40]: 250MB fetched. 25% completed, 3 secs elapsed. It can take a while…',
      },
      total,
    );
    expect(report).toEqual({
      phase: 'downloading',
      fraction: 0.25,
      loadedBytes: total / 4,
      totalBytes: total,
    });
  });

  it('tells loading from cache and shader compilation apart', () => {
    expect(
      readWebllmProgress(
        { progress: 0.5, timeElapsed: 1, text: 'Loading model from cache[20/40]: 500MB loaded.' },
        total,
      )?.phase,
    ).toBe('loading');
    expect(
      readWebllmProgress(
        { progress: 0.3, timeElapsed: 1, text: 'Loading GPU shader modules[3/10]: 30% completed' },
        total,
      ),
    ).toEqual({ phase: 'compiling', fraction: 0.3 });
    expect(
      readWebllmProgress({ progress: 1, timeElapsed: 9, text: 'Finish loading on WebGPU - acme' }, total)
        ?.phase,
    ).toBe('ready');
  });

  it('ignores reports it does not recognise', () => {
    expect(readWebllmProgress({ progress: 0, timeElapsed: 0, text: 'Something new' }, total)).toBeUndefined();
  });
});
