import { z } from 'zod';

/**
 * Fault injection, off by default. Applied to the Authlete API routes only (never to `/__emulator/`),
 * optionally restricted to some operations (Authlete operationIds such as `auth_token_create_api`).
 * Rates are probabilities in [0, 1]; 1 makes a fault deterministic. `remaining` caps how many
 * requests get a fault before the emulator behaves again ("fail once, then succeed").
 */
export const faultsSchema = z
  .object({
    /** Added to every matching request before it is handled. */
    latencyMs: z.number().int().min(0).max(600_000).default(0),
    /** Share of requests answered with `errorStatus` and an Authlete server-error body. */
    errorRate: z.number().min(0).max(1).default(0),
    errorStatus: z.number().int().min(500).max(599).default(500),
    /** Share of requests answered 429 with `Retry-After: retryAfterSeconds`. */
    rateLimitRate: z.number().min(0).max(1).default(0),
    retryAfterSeconds: z.number().int().min(0).max(3600).default(1),
    /** Share of requests that never get an answer (until the client gives up or the server closes). */
    hangRate: z.number().min(0).max(1).default(0),
    /** 0-based index of a batch element that fails processing, ending the batch FAILED. */
    failBatchElement: z.number().int().min(0).nullable().default(null),
    /** Only these operations get faults; absent = all Authlete API operations. */
    operations: z.array(z.string()).nullable().default(null),
    /** How many more requests may get a fault; null = unlimited. */
    remaining: z.number().int().min(0).nullable().default(null),
  })
  .strict();

export type Faults = z.infer<typeof faultsSchema>;
export type FaultsInput = z.input<typeof faultsSchema>;

export const NO_FAULTS: Faults = faultsSchema.parse({});

export type FaultDecision =
  | { kind: 'none' }
  | { kind: 'error'; status: number }
  | { kind: 'rateLimit'; retryAfterSeconds: number }
  | { kind: 'hang' };

export class FaultState {
  private faults: Faults;

  constructor(
    initial: FaultsInput = {},
    private readonly random: () => number = Math.random,
  ) {
    this.faults = faultsSchema.parse(initial);
  }

  get(): Faults {
    return this.faults;
  }

  set(input: FaultsInput): Faults {
    this.faults = faultsSchema.parse(input);
    return this.faults;
  }

  private applies(operation: string): boolean {
    const { operations, remaining } = this.faults;
    return (operations === null || operations.includes(operation)) && remaining !== 0;
  }

  latencyFor(operation: string): number {
    return this.applies(operation) ? this.faults.latencyMs : 0;
  }

  /** Decides the fault for one request and uses up one of `remaining` when a fault is chosen. */
  decide(operation: string): FaultDecision {
    if (!this.applies(operation)) return { kind: 'none' };
    const f = this.faults;
    let decision: FaultDecision = { kind: 'none' };
    if (f.hangRate > 0 && this.random() < f.hangRate) decision = { kind: 'hang' };
    else if (f.rateLimitRate > 0 && this.random() < f.rateLimitRate) {
      decision = { kind: 'rateLimit', retryAfterSeconds: f.retryAfterSeconds };
    } else if (f.errorRate > 0 && this.random() < f.errorRate) decision = { kind: 'error', status: f.errorStatus };
    if (decision.kind !== 'none' && f.remaining !== null) this.faults = { ...f, remaining: f.remaining - 1 };
    return decision;
  }

  failBatchElement(): number | null {
    return this.faults.failBatchElement;
  }
}

/** Reads `EMULATOR_FAULTS` (JSON, same fields as `POST /__emulator/faults`). */
export function faultsFromEnv(env: { EMULATOR_FAULTS?: string }): FaultsInput {
  const raw = env.EMULATOR_FAULTS;
  if (!raw) return {};
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new Error('EMULATOR_FAULTS must be a JSON object, e.g. {"latencyMs":200,"errorRate":0.1}');
  }
  const parsed = faultsSchema.safeParse(value);
  if (!parsed.success) {
    throw new Error(
      `EMULATOR_FAULTS is invalid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  }
  return parsed.data;
}
