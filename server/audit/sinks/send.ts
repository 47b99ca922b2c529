import 'server-only';
import net from 'node:net';
import { hostname } from 'node:os';
import tls from 'node:tls';
import type { AuditSinkConfig, HttpSinkConfig, SyslogSinkConfig } from '@/server/config/audit-sinks';
import type { AuditEvent } from './event';

/**
 * Sends one batch of events to one sink and resolves only once the sink has it: an HTTP 2xx, or
 * for syslog the whole batch written and flushed to the connection (see `sendSyslog`). Anything
 * else rejects, and the runner sends the batch again later. Error messages name what failed, never
 * a header value or a key.
 */
export function sendBatch(sink: AuditSinkConfig, events: readonly AuditEvent[]): Promise<void> {
  return sink.type === 'http' ? sendHttp(sink, events) : sendSyslog(sink, events);
}

/** One POST of JSON lines (`application/x-ndjson`), one event a line, in order. */
async function sendHttp(sink: HttpSinkConfig, events: readonly AuditEvent[]): Promise<void> {
  const body = events.map((event) => `${JSON.stringify(event)}\n`).join('');
  let response: Response;
  try {
    response = await fetch(sink.url, {
      method: 'POST',
      headers: {
        ...sink.headers,
        'content-type': 'application/x-ndjson',
        // The batch's places, so a receiver can de-duplicate a resent batch without parsing it.
        'x-audit-seq-first': String(events[0]!.seq),
        'x-audit-seq-last': String(events[events.length - 1]!.seq),
      },
      body,
      // A redirect is a misconfigured receiver: a failure, not a second address to send to.
      redirect: 'manual',
      signal: AbortSignal.timeout(sink.timeoutMs),
    });
  } catch (error) {
    throw new Error(describeNetworkError(error));
  }
  await response.body?.cancel();
  if (response.status < 200 || response.status >= 300) throw new Error(`HTTP ${response.status}`);
}

function describeNetworkError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (error.name === 'TimeoutError') return 'timed out';
  const cause = error.cause as { code?: unknown; message?: unknown } | undefined;
  const detail = typeof cause?.code === 'string' ? cause.code : typeof cause?.message === 'string' ? cause.message : '';
  return detail ? `${error.message} (${detail})` : error.message;
}

/** RFC 5424 severities: a success is informational (6), a failure or denial a warning (4). */
const severityOf = (event: AuditEvent) => (event.outcome === 'success' ? 6 : 4);
/** RFC 5424 fields are printable US-ASCII without spaces; `-` stands for none. */
const printable = (value: string, max: number) => value.replace(/[^!-~]/g, '_').slice(0, max) || '-';
const HOST = printable(hostname(), 255);

/**
 * One RFC 5424 message: `<PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID SD MSG`, with the action
 * as MSGID, no structured data, and the event's JSON as MSG.
 */
export function syslogMessage(sink: Pick<SyslogSinkConfig, 'facility' | 'appName'>, event: AuditEvent): string {
  const pri = sink.facility * 8 + severityOf(event);
  return `<${pri}>1 ${event.time} ${HOST} ${sink.appName} - ${printable(event.action, 32)} - ${JSON.stringify(event)}`;
}

/** RFC 6587 octet counting: `MSG-LEN SP SYSLOG-MSG`, the length in bytes. */
const frame = (message: string) => `${Buffer.byteLength(message)} ${message}`;

/**
 * One connection per batch (TCP, or TLS per RFC 5425): connect, write every frame, half-close, and
 * wait for the receiver to close its side. Syslog over TCP has no application acknowledgement: the
 * batch counts as delivered once it was flushed to the connection and the connection ended without
 * an error (a receiver that has read everything up to our end closes too; one that keeps the
 * connection open past the timeout is taken to have it, as the data was flushed). A refused or
 * reset connection, a failed handshake or certificate check, or a timeout before the flush fails
 * the batch, which is then sent again.
 */
function sendSyslog(sink: SyslogSinkConfig, events: readonly AuditEvent[]): Promise<void> {
  const payload = events.map((event) => frame(syslogMessage(sink, event))).join('');
  return new Promise<void>((resolve, reject) => {
    const socket = sink.tls
      ? tls.connect({
          host: sink.host,
          port: sink.port,
          ca: sink.ca,
          cert: sink.cert,
          key: sink.key,
          // An address is checked against the certificate's IP entries; SNI takes host names only.
          servername: sink.servername ?? (net.isIP(sink.host) ? undefined : sink.host),
          minVersion: 'TLSv1.2',
        })
      : net.connect({ host: sink.host, port: sink.port });
    let flushed = false;
    let settled = false;
    const settle = (error?: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      if (error) reject(error);
      else resolve();
    };
    const timer = setTimeout(
      () => settle(flushed ? undefined : new Error(`timed out after ${sink.timeoutMs} ms`)),
      sink.timeoutMs,
    );
    socket.once('error', (error: NodeJS.ErrnoException) => settle(new Error(error.code ?? error.message)));
    socket.once(sink.tls ? 'secureConnect' : 'connect', () => socket.end(payload));
    socket.once('finish', () => {
      flushed = true;
    });
    socket.once('close', () =>
      settle(flushed ? undefined : new Error('the connection closed before the batch was sent')),
    );
  });
}
