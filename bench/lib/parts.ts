/**
 * Each suite writes its figures as one part (test-results/bench-parts/<name>.json); the global
 * teardown puts the parts together into bench/results.json and bench/results.md. A suite that
 * fails leaves no part, and the report says so instead of showing stale numbers.
 */
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { resultsDir } from './setup';

export function writePart(name: string, data: unknown): void {
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(join(resultsDir, `${name}.json`), `${JSON.stringify(data, null, 2)}\n`);
}

export function readParts(): Record<string, unknown> {
  let files: string[];
  try {
    files = readdirSync(resultsDir).filter((file) => file.endsWith('.json'));
  } catch {
    return {};
  }
  return Object.fromEntries(
    files.map((file) => [
      file.replace(/\.json$/, ''),
      JSON.parse(readFileSync(join(resultsDir, file), 'utf8')),
    ]),
  );
}

export function clearParts(): void {
  rmSync(resultsDir, { recursive: true, force: true });
}
