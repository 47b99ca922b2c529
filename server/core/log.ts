/**
 * One structured JSON line per event on stderr, for the platform's log collector. Callers pass
 * identifiers only (request id, route, codes), never a token value, the bearer or a request body.
 */
export type LogLevel = 'info' | 'warn' | 'error';

const severity: Record<LogLevel, number> = { info: 0, warn: 1, error: 2 };

/** LOG_LEVEL (info, warn or error; default info) drops the less severe lines. */
function enabled(level: LogLevel): boolean {
  const threshold = process.env.LOG_LEVEL as LogLevel | undefined;
  return severity[level] >= (threshold && threshold in severity ? severity[threshold] : 0);
}

export function logEvent(level: LogLevel, msg: string, fields: Record<string, unknown> = {}): void {
  if (!enabled(level)) return;
  const line = JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields });
  if (level === 'error') console.error(line);
  else if (level === 'warn') console.warn(line);
  else console.info(line);
}

/** Name, message and stack of an unknown error, for the server log only. */
export function describeError(error: unknown): Record<string, unknown> {
  if (error instanceof Error) return { name: error.name, message: error.message, stack: error.stack };
  return { value: String(error) };
}
