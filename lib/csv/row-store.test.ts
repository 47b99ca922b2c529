import { describe, expect, it } from 'vitest';
import { RowStore } from './row-store';

describe('RowStore', () => {
  it('gives back every row, line and flag across block boundaries', () => {
    const store = new RowStore();
    const n = 2500;
    for (let i = 0; i < n; i++) expect(store.push(`["row",${i},"${'x'.repeat(i % 7)}"]`, i * 2 + 2, i % 4)).toBe(i);
    expect(store.size).toBe(n);
    for (const i of [0, 1, 1022, 1023, 1024, 2047, 2048, 2499]) {
      expect(store.body(i)).toBe(`["row",${i},"${'x'.repeat(i % 7)}"]`);
      expect(store.line(i)).toBe(i * 2 + 2);
      expect(store.needs(i)).toBe(i % 4);
    }
    expect(store.lines()).toHaveLength(n);
    expect(() => store.body(n)).toThrow(RangeError);
  });
});
