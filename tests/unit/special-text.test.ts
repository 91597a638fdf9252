import { describe, expect, it } from 'vitest';
import { MarkerFilter } from '../../workers/runtimes/special-text';

function run(deltas: string[]): { shown: string[]; text: string } {
  const filter = new MarkerFilter();
  const shown = deltas.map((delta) => filter.push(delta));
  shown.push(filter.finish());
  return { shown, text: shown.join('') };
}

describe('MarkerFilter', () => {
  it("drops DeepSeek's turn markers whole", () => {
    expect(run(['Goodbye!<｜Assistant｜>']).text).toBe('Goodbye!');
    expect(run(['a<｜end▁of▁sentence｜>b', '<｜User｜>c']).text).toBe('abc');
  });

  it('holds back a marker split across deltas, and never shows any part of it', () => {
    const { shown, text } = run(['Done. <｜Assis', 'tant｜> after']);
    expect(text).toBe('Done.  after');
    expect(shown.some((part) => part.includes('<｜') || part.includes('｜>'))).toBe(false);
    expect(run(['x <', '｜User｜>y']).text).toBe('x y');
  });

  it('lets ordinary text through, including a lone < or ｜ that is not a marker', () => {
    expect(run(['a < b', ' and 甲｜乙 ', '<']).text).toBe('a < b and 甲｜乙 <');
    expect(run(['<｜ not closed']).text).toBe('<｜ not closed');
  });
});
