import { readFileSync } from 'node:fs';
import { z } from 'zod';

/**
 * Where the audit log is streamed (AUDIT_SINKS, a JSON array; server/jobs/audit-sinks sends it). Header
 * values, keys and certificates are secrets: they live here and in the sender only, and no message
 * (config error, log line, status) ever repeats them; a sink is named by its `name` and `type`.
 */

const common = {
  /** Stable: the checkpoint is kept under it, so renaming a sink starts it again from the first record. */
  name: z
    .string({ error: 'a name (letters, digits, - and _)' })
    .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$/, 'a name of up to 40 letters, digits, - and _'),
  /** Records per request (HTTP) or per connection (syslog). */
  batchSize: z.number().int().min(1, 'at least 1').max(1000, 'at most 1000').default(200),
  /** The first retry's delay after a failure; each next one doubles, up to five minutes. */
  retryBaseMs: z.number().int().min(1, 'at least 1 ms').max(300_000, 'at most 300000 ms').default(5_000),
  /** How long connecting and sending one batch may take. */
  timeoutMs: z.number().int().min(100, 'at least 100 ms').max(120_000, 'at most 120000 ms').default(10_000),
};

const httpSinkSchema = z.strictObject({
  ...common,
  type: z.literal('http'),
  url: z.url({ protocol: /^https?$/, error: 'an http(s) URL' }).refine((value) => {
    const url = new URL(value);
    return !url.username && !url.password;
  }, 'an http(s) URL without credentials (put them in headers, which are never logged)'),
  headers: z.record(z.string(), z.string()).default({}),
});

/** A PEM file's path, read now so a wrong path stops the start-up rather than the first send. */
const pemFile = z.string().min(1, 'a path to a PEM file');

const syslogSinkSchema = z.strictObject({
  ...common,
  type: z.literal('syslog'),
  host: z.string().min(1, 'a host name or address'),
  /** 6514 (RFC 5425) with TLS, 514 without, unless given. */
  port: z.number().int().min(1).max(65_535, 'a TCP port number').optional(),
  tls: z.boolean().default(false),
  /** CA certificate(s) the receiver's certificate must chain to; the system's when absent. */
  ca: pemFile.optional(),
  /** A client certificate and key, for receivers that authenticate senders (mutual TLS). */
  cert: pemFile.optional(),
  key: pemFile.optional(),
  /** The receiver's name in its certificate, when it is not `host`. */
  servername: z.string().min(1).optional(),
  /** RFC 5424 facility; 13 is "log audit". */
  facility: z.number().int().min(0).max(23, 'a syslog facility, 0 to 23').default(13),
  /** APP-NAME of every message. */
  appName: z
    .string()
    .regex(/^[!-~]{1,48}$/, 'up to 48 printable ASCII characters without spaces')
    .default('token-desk'),
});

const sinksSchema = z
  .array(z.discriminatedUnion('type', [httpSinkSchema, syslogSinkSchema], { error: 'a type, http or syslog' }), {
    error: 'a JSON array of sinks',
  })
  .superRefine((entries, context) => {
    const seen = new Set<string>();
    entries.forEach((entry, index) => {
      if (seen.has(entry.name))
        context.addIssue({ code: 'custom', path: [index, 'name'], message: `unique (${entry.name} is listed twice)` });
      seen.add(entry.name);
      if (entry.type === 'syslog') {
        if (!entry.tls && (entry.ca || entry.cert || entry.key || entry.servername))
          context.addIssue({
            code: 'custom',
            path: [index, 'tls'],
            message: 'true when ca, cert, key or servername is set',
          });
        if (Boolean(entry.cert) !== Boolean(entry.key))
          context.addIssue({ code: 'custom', path: [index, 'cert'], message: 'given together with key' });
      }
    });
  });

type HttpSinkEntry = z.infer<typeof httpSinkSchema>;
type SyslogSinkEntry = z.infer<typeof syslogSinkSchema>;

export type HttpSinkConfig = HttpSinkEntry;
/** A syslog sink with its port settled and its PEM files read. */
export type SyslogSinkConfig = Omit<SyslogSinkEntry, 'port' | 'ca' | 'cert' | 'key'> & {
  port: number;
  ca?: string;
  cert?: string;
  key?: string;
};
export type AuditSinkConfig = HttpSinkConfig | SyslogSinkConfig;

/** Thrown with one line naming the sink and field, never a value. */
export class AuditSinksConfigError extends Error {
  override name = 'AuditSinksConfigError';
}

/** Parses AUDIT_SINKS (undefined or empty: no sinks). */
export function parseAuditSinks(text: string | undefined): AuditSinkConfig[] {
  if (text === undefined) return [];
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new AuditSinksConfigError('Invalid configuration: AUDIT_SINKS must be JSON (a JSON array of sinks).');
  }
  const parsed = sinksSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const [index, ...field] = issue?.path ?? [];
    const name =
      Array.isArray(json) && typeof index === 'number' ? (json[index] as { name?: unknown })?.name : undefined;
    const label = typeof name === 'string' && /^[A-Za-z0-9_-]{1,40}$/.test(name) ? ` (${name})` : '';
    const where =
      typeof index === 'number'
        ? `AUDIT_SINKS[${index}]${label}${field.length > 0 ? `.${field.join('.')}` : ''}`
        : 'AUDIT_SINKS';
    throw new AuditSinksConfigError(`Invalid configuration: ${where} must be ${issue?.message ?? 'valid'}.`);
  }
  return parsed.data.map((entry, index) => {
    if (entry.type === 'http') return entry;
    const read = (field: 'ca' | 'cert' | 'key') => {
      const file = entry[field];
      if (file === undefined) return undefined;
      try {
        return readFileSync(file, 'utf8');
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        throw new AuditSinksConfigError(
          `Invalid configuration: AUDIT_SINKS[${index}] (${entry.name}).${field} must be a readable PEM file (${typeof code === 'string' ? code : 'unreadable'}: ${file}).`,
        );
      }
    };
    return {
      ...entry,
      port: entry.port ?? (entry.tls ? 6514 : 514),
      ca: read('ca'),
      cert: read('cert'),
      key: read('key'),
    };
  });
}
