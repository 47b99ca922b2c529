import { describe, expect, it } from 'vitest';
import { failingElement, failingElementLine } from './lines';

describe('failingElementLine', () => {
  const lines = Int32Array.from([2, 3, 5, 6, 9, 10]);
  it('maps an element of a batch over several row ranges to its file line', () => {
    expect(
      failingElementLine(
        '[A1] Element [0]: x',
        [
          [1, 3],
          [4, 6],
        ],
        lines,
      ),
    ).toBe(3);
    expect(
      failingElementLine(
        '[A1] Element [2]: x',
        [
          [1, 3],
          [4, 6],
        ],
        lines,
      ),
    ).toBe(9);
    expect(
      failingElementLine(
        '[A1] Element [4]: x',
        [
          [1, 3],
          [4, 6],
        ],
        lines,
      ),
    ).toBeUndefined();
  });
  it('needs an element and the lines', () => {
    expect(failingElementLine('[A1] no element', [[0, 6]], lines)).toBeUndefined();
    expect(failingElementLine('[A1] Element [1]: x', [[0, 6]], undefined)).toBeUndefined();
    expect(failingElement(null)).toBeUndefined();
  });
});
