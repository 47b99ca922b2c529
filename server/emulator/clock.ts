import type { IncomingMessage } from 'node:http';
import { z } from 'zod';
import type { Reply } from './context';
import type { Db } from './db';
import { AuthleteError } from './errors';
import { parseJson, readBody, toJson } from './wire';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/** Authlete deletes tokens nobody has used for this long (its knowledge base: 90 days). */
export const UNUSED_SWEEP_MS = 90 * 86_400_000;

/**
 * The emulator's clock: real time plus an offset that tests move through `POST /__emulator/clock`,
 * so expiry, the INVALID list and the sweep can be exercised without waiting.
 */
export class Clock {
  private offsetMs = 0;
  readonly now = (): number => Date.now() + this.offsetMs;
  get offset(): number {
    return this.offsetMs;
  }
  /** Moves by `advanceMs`, or to the absolute time `now`; `{}` returns to real time. */
  set(input: ClockInput): void {
    if (input.advanceMs !== undefined) this.offsetMs += input.advanceMs;
    else if (input.now !== undefined) this.offsetMs = input.now - Date.now();
    else this.offsetMs = 0;
  }
  toJSON() {
    return { now: this.now(), offsetMs: this.offsetMs };
  }
}

export const clockSchema = z
  .object({
    /** Milliseconds to move forward (negative: back). */
    advanceMs: z
      .number()
      .int()
      .min(-100 * 365 * 86_400_000)
      .max(100 * 365 * 86_400_000)
      .optional(),
    /** Absolute time in milliseconds since the epoch. */
    now: z.number().int().min(0).optional(),
  })
  .strict()
  .refine((v) => v.advanceMs === undefined || v.now === undefined, { message: 'give advanceMs or now, not both' });

export type ClockInput = z.infer<typeof clockSchema>;

/**
 * Authlete's sweep: tokens whose access token has expired (and whose refresh token, if any, has too,
 * since it could still be refreshed) and tokens unused for 90 days — last use being creation, a
 * refresh, or a read or update that Authlete counts as use. Persistent tokens are kept: Authlete's
 * OpenAPI says they "must be revoked or deleted manually".
 */
export async function sweep(db: Db, now: number): Promise<{ expired: number; unused: number }> {
  const at = now.toString();
  const expired = await db.query(
    `DELETE FROM tokens WHERE access_token_expires_at <= $1 AND (refresh_token_hash IS NULL OR refresh_token_expires_at <= $1)`,
    [at],
  );
  const unused = await db.query(
    `DELETE FROM tokens WHERE NOT access_token_persistent AND GREATEST(created_at, last_refreshed_at, last_used_at) <= $1`,
    [(now - UNUSED_SWEEP_MS).toString()],
  );
  return { expired: expired.affectedRows ?? 0, unused: unused.affectedRows ?? 0 };
}

/**
 * `GET|POST /__emulator/clock` (`{ advanceMs }`, `{ now }` or `{}`; moving it runs a sweep) and
 * `POST /__emulator/sweep`. Loopback callers only, even with a service token: moving time
 * reshapes every service's data.
 */
export async function handleClockControl(req: IncomingMessage, key: string, clock: Clock, db: Db): Promise<Reply> {
  if (!LOOPBACK.has(req.socket.remoteAddress ?? '')) {
    throw new AuthleteError(403, 'A001222', 'The emulator clock answers loopback callers only.');
  }
  if (key === 'GET /__emulator/clock') return { status: 200, body: clock.toJSON() };
  if (key === 'POST /__emulator/clock') {
    const text = await readBody(req);
    const parsed = clockSchema.safeParse(text.trim() === '' ? {} : JSON.parse(toJson(parseJson(text))));
    if (!parsed.success) {
      throw new AuthleteError(
        400,
        'A001223',
        `Invalid clock: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ')}`,
      );
    }
    clock.set(parsed.data);
  }
  return { status: 200, body: { ...clock.toJSON(), swept: await sweep(db, clock.now()) } };
}
