/**
 * The turn-cost figures (bench/suites/turn-cost.bench.ts) as a Markdown table and budget lines,
 * shared by the suite (which prints them as it goes) and the report (bench/results.md).
 */

export interface TurnCost {
  turn: number;
  promptTokens: number;
  prefilledTokens: number;
  timeToFirstTokenMs: number;
}

export interface TurnCostPart {
  backend: 'wasm' | 'webgpu';
  before: TurnCost[];
  after: TurnCost[];
}

/** Turn 10 may cost at most this many times turn 2, with prefix reuse. */
export const TURN_COST_GOAL = 1.5;

type Key = 'prefilledTokens' | 'timeToFirstTokenMs';

/** The last turn's figure ÷ turn 2's. */
function ratio(costs: TurnCost[], key: Key): number {
  const last = costs.at(-1);
  const second = costs[1];
  return last && second ? last[key] / second[key] : Number.NaN;
}

export function turnCostBudgets(part: TurnCostPart): { name: string; value: string; pass: boolean }[] {
  const rows: [string, Key][] = [
    ['tokens prefilled', 'prefilledTokens'],
    ['time to first token', 'timeToFirstTokenMs'],
  ];
  return rows.map(([what, key]) => {
    const value = ratio(part.after, key);
    return {
      name: `${what} at turn ${part.after.length} ≤ ${TURN_COST_GOAL} × turn 2 with prefix reuse, ${part.backend}`,
      value: `${value.toFixed(2)} × (${ratio(part.before, key).toFixed(2)} × without)`,
      pass: value <= TURN_COST_GOAL,
    };
  });
}

export function turnCostTable(part: TurnCostPart): string[] {
  const rows = part.before.map((before, i) => {
    const after = part.after[i];
    return `| ${before.turn} | ${before.promptTokens} | ${before.prefilledTokens} | ${before.timeToFirstTokenMs.toFixed(0)} | ${after?.prefilledTokens ?? '—'} | ${after?.timeToFirstTokenMs.toFixed(0) ?? '—'} |`;
  });
  return [
    `turn cost, ${part.backend === 'webgpu' ? 'WebGPU (SwiftShader)' : 'wasm'}: prefill and time to first token per turn, before / after prefix reuse`,
    '',
    '| turn | prompt tokens | prefilled before | TTFT before (ms) | prefilled after | TTFT after (ms) |',
    '| ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows,
    '',
    ...turnCostBudgets(part).map(
      (budget) => `- ${budget.pass ? 'PASS' : 'FAIL'} ${budget.name}: ${budget.value}`,
    ),
  ];
}
