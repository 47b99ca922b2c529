import { JobError } from '@/server/jobs/core/errors';
import type { BatchStatus } from '@/lib/schemas';

/** Delay before asking Authlete again about a running batch, after `checks` questions: 0.5 s doubling to 15 s. */
export function nextCheckDelayMs(checks: number): number {
  return Math.min(500 * 2 ** Math.max(0, checks - 1), 15_000);
}

class StillProcessingError extends JobError {
  override name = 'StillProcessingError';
  constructor(message: string) {
    super('still_processing', message);
  }
}

/**
 * Polls a batch until Authlete reports a result, with backoff from 100 ms to 2 s, giving up after
 * `timeoutMs` (a dry run of at most 1000 rows normally takes well under that).
 */
export async function waitForFinalStatus(
  fetchStatus: () => Promise<BatchStatus>,
  { timeoutMs = 60_000, sleep = (delay: number) => new Promise<void>((resolve) => setTimeout(resolve, delay)) } = {},
): Promise<BatchStatus> {
  const deadline = Date.now() + timeoutMs;
  let delay = 100;
  for (;;) {
    const status = await fetchStatus();
    if (status.state !== 'running') return status;
    if (Date.now() + delay > deadline) {
      throw new StillProcessingError(`Authlete is still processing batch ${status.requestId}; try again in a minute.`);
    }
    await sleep(delay);
    delay = Math.min(delay * 2, 2_000);
  }
}
