import 'server-only';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { parseCookies } from 'better-auth/cookies';
import { and, eq, gt, lt, sql } from 'drizzle-orm';
import { LRUCache } from 'lru-cache';
import { roleSchema } from '@/lib/roles';
import type { Actor } from '@/lib/schemas/session';
import { config } from '@/server/config';
import { getDb, perDatabase, type Database } from '@/server/db';
import { authPasskey, authSession, authUser, rateLimitCounter } from '@/server/db/schema';
import {
  consumeMutation,
  counterHitConflict,
  decide,
  getRateLimitStore,
  keyPrefixFor,
  ruleFor,
  type RateLimitDecision,
  type RequestKind,
  type RateLimitStore,
} from '@/server/rate-limit';
import { getAuth } from './auth';

export type { Actor } from '@/lib/schemas/session';
export { getAuth, OIDC_PROVIDER_ID } from './auth';
export { demoAccounts, DEMO_PASSWORD } from './demo-accounts';

/**
 * The signed-in person with what the server alone needs about their session: which session, whether a
 * second factor is enrolled, and when they last proved it was them (the step-up window counts from it).
 */
export interface SessionActor extends Actor {
  sessionId: string;
  twoFactorEnabled: boolean;
  /** They have at least one passkey: a second factor, and a proof for step-up. */
  hasPasskey: boolean;
  verifiedAt: Date;
}

/** lastActiveAt is written at most this often, so reads do not all turn into writes. */
const ACTIVITY_WRITE_INTERVAL_MS = 60_000;

/** Better Auth's session cookie name and signing secret: fixed for the life of the process. */
let sessionCookie: { name: string; secret: string } | undefined;

/**
 * Signed cookie values already verified, to their session token. The HMAC check would otherwise
 * run on every API call; a value only gets here by verifying, so a forged one can never hit.
 * Whether the session is still live is read from the database on every call regardless.
 */
const verifiedCookies = new LRUCache<string, string>({ max: 10_000 });

/**
 * The session token from Better Auth's signed cookie (`token.base64(HMAC-SHA256(secret, token))`),
 * or null when it is missing or its signature does not verify.
 */
async function sessionTokenOf(headers: Headers): Promise<string | null> {
  const cookieHeader = headers.get('cookie');
  if (!cookieHeader) return null;
  if (!sessionCookie) {
    const { authCookies, secret } = await (await getAuth()).$context;
    sessionCookie = { name: authCookies.sessionToken.name, secret };
  }
  const signed = parseCookies(cookieHeader).get(sessionCookie.name);
  if (!signed) return null;
  const known = verifiedCookies.get(signed);
  if (known) return known;
  const dot = signed.lastIndexOf('.');
  if (dot < 1) return null;
  const token = signed.slice(0, dot);
  const given = Buffer.from(signed.slice(dot + 1), 'base64');
  const expected = createHmac('sha256', sessionCookie.secret).update(token).digest();
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  verifiedCookies.set(signed, token);
  return token;
}

/**
 * The live session for a token and its person. The user's id is read as `user_id` so the select has
 * one `id` column and can serve as a CTE (the change read below).
 */
function actorRows(db: Database) {
  return db
    .select({
      sessionId: authSession.id,
      lastActiveAt: authSession.lastActiveAt,
      signInMethod: authSession.signInMethod,
      userId: authSession.userId,
      email: authUser.email,
      name: authUser.name,
      role: authUser.role,
      disabled: authUser.disabled,
      twoFactorEnabled: authUser.twoFactorEnabled,
      hasPasskey:
        sql<boolean>`exists (select 1 from ${authPasskey} where ${authPasskey.userId} = ${authSession.userId})`.as(
          'has_passkey',
        ),
      verifiedAt: authSession.verifiedAt,
    })
    .from(authSession)
    .innerJoin(authUser, eq(authUser.id, authSession.userId))
    .where(and(eq(authSession.token, sql.placeholder('token')), gt(authSession.expiresAt, sql.placeholder('now'))))
    .limit(1);
}

type ActorRow = Awaited<ReturnType<ReturnType<typeof actorRows>['execute']>>[number];

/** The session joined to its user, one prepared query per database: it runs on every API call. */
const actorQueryFor = perDatabase((db) => actorRows(db).prepare('token_desk_session_actor'));

/**
 * The same read, which in the same statement counts one hit on the person's change or read counter
 * (a data-modifying CTE; the key prefix is a parameter): one round trip per request instead of two.
 */
const actorCountingChangeQueryFor = perDatabase((db) => {
  const actor = db.$with('actor').as(actorRows(db));
  const resetAt = sql.placeholder('resetAt');
  const hit = db.$with('hit').as(
    db
      .insert(rateLimitCounter)
      .select(
        db
          .select({
            key: sql<string>`${sql.placeholder('keyPrefix')}::text || ${actor.userId}`.as('key'),
            count: sql<number>`1`.as('count'),
            resetAt: sql<number>`${resetAt}`.as('reset_at'),
          })
          .from(actor),
      )
      .onConflictDoUpdate(counterHitConflict(sql.placeholder('nowMs'), resetAt))
      .returning({ count: rateLimitCounter.count, resetAt: rateLimitCounter.resetAt }),
  );
  return db
    .with(actor, hit)
    .select()
    .from(actor)
    .leftJoin(hit, sql`true`)
    .prepare('token_desk_session_actor_change');
});

/**
 * The person behind a session row, or null when the session has passed its idle timeout (it is
 * then deleted), the account is disabled or it has no valid role. Records activity now and then.
 */
async function actorOf(db: Database, row: ActorRow | undefined, now: number): Promise<SessionActor | null> {
  if (!row) return null;
  const role = roleSchema.safeParse(row.role);
  if (row.disabled || !role.success) return null;

  const lastActive = row.lastActiveAt.getTime();
  if (now - lastActive > config.auth.sessionIdleMinutes * 60_000) {
    await db.delete(authSession).where(eq(authSession.id, row.sessionId));
    return null;
  }
  if (now - lastActive > ACTIVITY_WRITE_INTERVAL_MS) {
    await db
      .update(authSession)
      .set({ lastActiveAt: new Date(now) })
      .where(and(eq(authSession.id, row.sessionId), lt(authSession.lastActiveAt, new Date(now))));
  }
  return {
    id: row.userId,
    email: row.email,
    name: row.name,
    role: role.data,
    method: row.signInMethod === 'oidc' ? 'oidc' : 'password',
    sessionId: row.sessionId,
    twoFactorEnabled: row.twoFactorEnabled,
    hasPasskey: row.hasPasskey,
    verifiedAt: row.verifiedAt,
  };
}

/**
 * The signed-in staff member behind these request headers, read from the database on every call
 * (one query: session joined to its user): null when signed out, when the session has passed its
 * idle or absolute timeout, when the account is disabled or has no valid role. Role checks use
 * what this returns, never a cache. Better Auth issues and ends sessions; this is its hot-path read.
 */
export async function getActor(headers: Headers): Promise<SessionActor | null> {
  const token = await sessionTokenOf(headers);
  if (!token) return null;
  const db = await getDb();
  const now = Date.now();
  const [row] = await actorQueryFor(db).execute({ token, now: new Date(now) });
  return actorOf(db, row, now);
}

/** The person making a change, and whether the change is within their limit (null when signed out). */
export interface ChangeActor {
  actor: SessionActor | null;
  limit: RateLimitDecision | null;
}

/**
 * getActor for a request that changes data, counting the change against the person's limit
 * (MUTATION_RATE_LIMIT_PER_MINUTE) as it reads the session. With the counters in the app database
 * both are one statement, so a failing counter fails the request like a failing session read; with
 * Redis the count is its own call, let through when Redis is away (consumeMutation).
 */
export function getActorForChange(headers: Headers, requestId: string, service?: string): Promise<ChangeActor> {
  return getActorCounting(headers, requestId, 'change', service);
}

/** getActor for a read, counting it against READ_RATE_LIMIT_PER_MINUTE the same way (no extra round trip). */
export function getActorForRead(headers: Headers, requestId: string, service?: string): Promise<ChangeActor> {
  return getActorCounting(headers, requestId, 'read', service);
}

async function getActorCounting(
  headers: Headers,
  requestId: string,
  kind: RequestKind,
  service: string | undefined,
): Promise<ChangeActor> {
  let store: RateLimitStore | undefined;
  try {
    store = await getRateLimitStore();
  } catch {
    // consumeMutation below logs the outage and lets the change through.
  }
  if (store?.kind !== 'database') {
    const actor = await getActor(headers);
    return { actor, limit: actor ? await consumeMutation(actor.id, requestId, kind, service) : null };
  }
  const token = await sessionTokenOf(headers);
  if (!token) return { actor: null, limit: null };
  const { db } = store;
  const now = Date.now();
  const rule = ruleFor(kind);
  const [row] = await actorCountingChangeQueryFor(db).execute({
    token,
    now: new Date(now),
    nowMs: now,
    resetAt: now + rule.windowMs,
    keyPrefix: keyPrefixFor(kind, service),
  });
  if (!row) return { actor: null, limit: null };
  await store.counted(now);
  const actor = await actorOf(db, row.actor, now);
  if (!actor) return { actor, limit: null };
  // ON CONFLICT DO UPDATE returns its row whether it inserted or updated.
  if (!row.hit) throw new Error('The rate-limit counter upsert returned no row.');
  return { actor, limit: decide({ count: Number(row.hit.count), resetAt: Number(row.hit.resetAt) }, rule, now) };
}
