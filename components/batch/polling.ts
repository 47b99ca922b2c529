/** Delay before the page asks for a job again, after `polls` answers: 1 s growing by half to 10 s. */
export function nextPollDelay(polls: number): number {
  return Math.min(1_000 * 1.5 ** Math.max(0, polls - 1), 10_000);
}
