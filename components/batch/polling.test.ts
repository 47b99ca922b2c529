import { describe, expect, it } from 'vitest';
import { nextPollDelay } from './polling';

describe('nextPollDelay', () => {
  it('starts at a second and backs off to a ten-second cap', () => {
    expect(nextPollDelay(0)).toBe(1_000);
    expect(nextPollDelay(1)).toBe(1_000);
    expect(nextPollDelay(2)).toBe(1_500);
    expect(nextPollDelay(5)).toBeCloseTo(5_062.5);
    expect(nextPollDelay(50)).toBe(10_000);
  });
});
