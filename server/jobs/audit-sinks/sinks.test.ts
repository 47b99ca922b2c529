import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { asc, eq } from 'drizzle-orm';
import stableStringify from 'fast-json-stable-stringify';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { HttpSinkConfig, SyslogSinkConfig } from '@/server/config/audit-sinks';
import { closeDb, getDb } from '@/server/db';
import { auditLog, auditSinkCheckpoint } from '@/server/db/schema';
import { recordAudit } from '@/server/audit';
import type { AuditEvent } from '@/server/audit/sinks/event';
import { advanceSink, auditSinkStatuses, type SinkPass } from '.';

afterAll(closeDb);

const closers: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const close of closers) await close();
});

let subjects = 0;
async function writeRecords(count: number): Promise<void> {
  for (let index = 0; index < count; index += 1) {
    subjects += 1;
    await recordAudit({
      action: index % 3 === 0 ? 'token.revoke' : 'token.create',
      outcome: index % 5 === 4 ? 'failure' : 'success',
      actor: { id: 'u1', email: 'ada@example.com', role: 'admin', method: 'password' },
      target: { subject: `user-${subjects}`, clientId: '42' },
      details: { z: 1, a: { y: 'b', x: [1, 2] } },
    });
  }
}

/** Every chained record's seq, in order: what every sink must end up with. */
async function allSeqs(): Promise<number[]> {
  const rows = await (await getDb()).select({ seq: auditLog.seq }).from(auditLog).orderBy(asc(auditLog.seq));
  return rows.map((row) => row.seq!);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Passes until the sink is caught up (waiting out its short backoff); the passes it took. */
async function drain(sink: HttpSinkConfig | SyslogSinkConfig, limit = 200): Promise<SinkPass[]> {
  const passes: SinkPass[] = [];
  for (let index = 0; index < limit; index += 1) {
    const pass = await advanceSink(sink, Date.now() + 10_000);
    passes.push(pass);
    if (pass.outcome === 'caught_up') return passes;
    await sleep(5);
  }
  throw new Error(`not caught up: ${JSON.stringify(passes.slice(-3))}`);
}

async function checkpointOf(name: string) {
  const [row] = await (await getDb()).select().from(auditSinkCheckpoint).where(eq(auditSinkCheckpoint.sink, name));
  return row;
}

/** The docs' recipe for a receiver: recompute the record's hash from the event alone. */
function recomputedHash(event: AuditEvent): string {
  const canonical = stableStringify({
    v: 1,
    seq: event.seq,
    occurredAt: Date.parse(event.time),
    action: event.action,
    outcome: event.outcome,
    actorId: event.actor.id,
    actorEmail: event.actor.email,
    actorRole: event.actor.role,
    actorMethod: event.actor.method,
    ip: event.request.ip,
    userAgent: event.request.userAgent,
    requestId: event.request.requestId,
    service: event.service,
    tokenHash: event.target.tokenHash,
    clientId: event.target.clientId,
    subject: event.target.subject,
    batchRequestId: event.target.batchRequestId,
    upstreamStatus: event.upstream.status,
    resultCode: event.upstream.resultCode,
    errorCode: event.errorCode,
    count: event.count,
    reason: event.reason,
    details: event.details,
  });
  return createHash('sha256').update(`${event.chain.prevHash}\n${canonical}`).digest('hex');
}

/** A JSON-lines receiver: `mode` decides its answer; `accepted` holds what it answered 2xx to. */
async function httpReceiver(port = 0) {
  const state = {
    mode: 'ok' as 'ok' | 'error' | 'drop',
    delayMs: 0,
    accepted: [] as AuditEvent[],
    requests: [] as http.IncomingHttpHeaders[],
  };
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      void sleep(state.delayMs).then(() => {
        state.requests.push(request.headers);
        const events = Buffer.concat(chunks)
          .toString('utf8')
          .split('\n')
          .filter(Boolean)
          .map((line) => JSON.parse(line) as AuditEvent);
        if (state.mode === 'error') return void response.writeHead(500).end();
        state.accepted.push(...events);
        // Stored, but the answer is lost: the sender must count the batch as not delivered.
        if (state.mode === 'drop') return void request.socket.destroy();
        response.writeHead(204).end();
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const address = server.address() as net.AddressInfo;
  const close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  closers.push(close);
  return { state, port: address.port, close };
}

const httpSink = (name: string, port: number, extra: Partial<HttpSinkConfig> = {}): HttpSinkConfig => ({
  name,
  type: 'http',
  url: `http://127.0.0.1:${port}/ingest`,
  headers: { authorization: 'Bearer sink-secret' },
  batchSize: 7,
  retryBaseMs: 1,
  timeoutMs: 2_000,
  ...extra,
});

/** Splits an RFC 6587 octet-counted stream into its messages. */
function octetFrames(stream: Buffer): string[] {
  const messages: string[] = [];
  let offset = 0;
  while (offset < stream.length) {
    const space = stream.indexOf(0x20, offset);
    const length = Number(stream.subarray(offset, space).toString('ascii'));
    expect(Number.isInteger(length) && length > 0).toBe(true);
    messages.push(stream.subarray(space + 1, space + 1 + length).toString('utf8'));
    offset = space + 1 + length;
  }
  return messages;
}

const RFC5424 = /^<(\d{1,3})>1 (\S+) (\S+) (\S+) (\S+) (\S+) (-|\[.*?\]) (.*)$/s;

/** A syslog receiver (TCP, or TLS with `secure`): every connection's stream, framed and parsed. */
async function syslogReceiver(secure?: { key: string; cert: string }) {
  const messages: { pri: number; time: string; app: string; msgid: string; event: AuditEvent }[] = [];
  const onSocket = (socket: net.Socket) => {
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('end', () => {
      for (const message of octetFrames(Buffer.concat(chunks))) {
        const [, pri, time, , app, , msgid, , json] = RFC5424.exec(message)!;
        messages.push({ pri: Number(pri), time: time!, app: app!, msgid: msgid!, event: JSON.parse(json!) });
      }
    });
  };
  const server = secure ? tls.createServer(secure, onSocket) : net.createServer(onSocket);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { messages, port: (server.address() as net.AddressInfo).port };
}

const syslogSink = (name: string, port: number, extra: Partial<SyslogSinkConfig> = {}): SyslogSinkConfig => ({
  name,
  type: 'syslog',
  host: '127.0.0.1',
  port,
  tls: false,
  facility: 13,
  appName: 'token-desk',
  batchSize: 5,
  retryBaseMs: 1,
  timeoutMs: 2_000,
  ...extra,
});

beforeEach(async () => {
  await writeRecords(3);
});

describe('audit sinks over HTTP (JSON lines)', () => {
  it('delivers every record in order, in batches, with its verifiable hash', async () => {
    await writeRecords(20);
    const receiver = await httpReceiver();
    const passes = await drain(httpSink('http-order', receiver.port));
    const seqs = await allSeqs();
    expect(passes).toEqual([{ outcome: 'caught_up', sent: seqs.length }]);
    expect(receiver.state.accepted.map((event) => event.seq)).toEqual(seqs);
    expect(receiver.state.requests).toHaveLength(Math.ceil(seqs.length / 7));
    const [first] = receiver.state.requests;
    expect(first).toMatchObject({
      'content-type': 'application/x-ndjson',
      authorization: 'Bearer sink-secret',
      'x-audit-seq-first': '1',
      'x-audit-seq-last': '7',
    });
    for (const event of receiver.state.accepted) {
      expect(event.schema).toBe('token-desk.audit.v1');
      expect(recomputedHash(event)).toBe(event.chain.hash);
    }
    // Each event links to the one before: the stream is the chain itself.
    receiver.state.accepted.slice(1).forEach((event, index) => {
      expect(event.chain.prevHash).toBe(receiver.state.accepted[index]!.chain.hash);
    });
    expect((await checkpointOf('http-order'))!.position).toBe(seqs.at(-1));

    // Later records only: the checkpoint holds.
    await writeRecords(2);
    await drain(httpSink('http-order', receiver.port));
    expect(receiver.state.accepted.map((event) => event.seq)).toEqual(await allSeqs());
  });

  it('catches up after an outage (500s, refused connections, a lost answer) without gaps', async () => {
    const receiver = await httpReceiver();
    const sink = httpSink('http-outage', receiver.port);
    await drain(sink);
    const before = (await checkpointOf('http-outage'))!.position;

    receiver.state.mode = 'error';
    await writeRecords(10);
    expect(await advanceSink(sink, Date.now() + 10_000)).toEqual({ outcome: 'failed', sent: 0 });
    const failing = (await checkpointOf('http-outage'))!;
    expect(failing).toMatchObject({ position: before, lastError: 'HTTP 500', failures: 1 });
    expect(failing.failingSince).toBeInstanceOf(Date);
    const [status] = await auditSinkStatuses([sink]);
    expect(status).toMatchObject({ name: 'http-outage', type: 'http', position: before, lastError: 'HTTP 500' });
    expect(status!.behind).toBeGreaterThanOrEqual(10);
    expect(JSON.stringify(status)).not.toContain('sink-secret');
    expect(JSON.stringify(status)).not.toContain('127.0.0.1');

    // Down altogether: nothing listens on the port.
    await receiver.close();
    await sleep(5);
    expect((await advanceSink(sink, Date.now() + 10_000)).outcome).toBe('failed');
    expect((await checkpointOf('http-outage'))!.lastError).toMatch(/ECONNREFUSED/);
    await writeRecords(5);

    // Back, but the first answer is lost after the batch was stored: that batch comes twice.
    const back = await httpReceiver(receiver.port);
    back.state.mode = 'drop';
    await sleep(5);
    expect((await advanceSink(sink, Date.now() + 10_000)).outcome).toBe('failed');
    back.state.mode = 'ok';
    await drain(sink);

    const expected = (await allSeqs()).filter((seq) => seq > before);
    const received = back.state.accepted.map((event) => event.seq);
    expect([...new Set(received)]).toEqual(expected);
    const firstBatch = expected.slice(0, 7);
    expect(received).toEqual([...firstBatch, ...expected]);
    const caughtUp = (await checkpointOf('http-outage'))!;
    expect(caughtUp).toMatchObject({ position: expected.at(-1), lastError: null, failingSince: null, failures: 0 });
    expect((await auditSinkStatuses([sink]))[0]).toMatchObject({ behind: 0, lastError: null });
  });

  it('backs off after a failure: the next pass waits', async () => {
    const receiver = await httpReceiver();
    receiver.state.mode = 'error';
    const sink = httpSink('http-backoff', receiver.port, { retryBaseMs: 60_000 });
    expect((await advanceSink(sink, Date.now() + 10_000)).outcome).toBe('failed');
    expect(await advanceSink(sink, Date.now() + 10_000)).toEqual({ outcome: 'busy', sent: 0 });
    expect(receiver.state.requests).toHaveLength(1);
    const { nextAttemptAt } = (await checkpointOf('http-backoff'))!;
    expect(nextAttemptAt.getTime() - Date.now()).toBeGreaterThan(30_000);
  });

  it('never lets two runners send one sink at once', async () => {
    await writeRecords(25);
    const receiver = await httpReceiver();
    receiver.state.delayMs = 20;
    const sink = httpSink('http-race', receiver.port);
    const runners = await Promise.all([1, 2, 3, 4].map(() => drain(sink)));
    const outcomes = runners.flat().map((pass) => pass.outcome);
    expect(outcomes).toContain('busy');
    expect(outcomes.filter((outcome) => outcome === 'failed')).toEqual([]);
    const received = receiver.state.accepted.map((event) => event.seq);
    expect(received).toEqual(await allSeqs());
  });

  it('skips no record while writers commit concurrently with the runner', async () => {
    const receiver = await httpReceiver();
    const sink = httpSink('http-concurrent', receiver.port, { batchSize: 3 });
    let writing = true;
    const writers = Promise.all([1, 2, 3, 4].map(() => writeRecords(8))).finally(() => {
      writing = false;
    });
    while (writing) {
      await advanceSink(sink, Date.now() + 10_000);
      await sleep(1);
    }
    await writers;
    await drain(sink);
    const received = receiver.state.accepted.map((event) => event.seq);
    expect(received).toEqual(await allSeqs());
  });

  it('stops at the deadline and goes on from the checkpoint', async () => {
    const receiver = await httpReceiver();
    const sink = httpSink('http-deadline', receiver.port);
    expect(await advanceSink(sink, Date.now() - 1)).toEqual({ outcome: 'deadline', sent: 0 });
    expect((await checkpointOf('http-deadline'))!.leaseOwner).toBeNull();
    await drain(sink);
    expect(receiver.state.accepted.map((event) => event.seq)).toEqual(await allSeqs());
  });
});

describe('audit sinks over syslog (RFC 5424, RFC 6587 octet counting)', () => {
  it('delivers every record in order over TCP', async () => {
    await writeRecords(11);
    const receiver = await syslogReceiver();
    await drain(syslogSink('syslog-tcp', receiver.port));
    await sleep(20);
    expect(receiver.messages.map((message) => message.event.seq)).toEqual(await allSeqs());
    for (const { pri, time, app, msgid, event } of receiver.messages) {
      // Facility 13 (log audit): informational for a success, warning for a failure.
      expect(pri).toBe(event.outcome === 'success' ? 13 * 8 + 6 : 13 * 8 + 4);
      expect(time).toBe(event.time);
      expect(app).toBe('token-desk');
      expect(msgid).toBe(event.action);
      expect(recomputedHash(event)).toBe(event.chain.hash);
    }
  });

  it('fails while nothing listens, and catches up once a receiver is there', async () => {
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as net.AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const sink = syslogSink('syslog-down', port);
    expect((await advanceSink(sink, Date.now() + 10_000)).outcome).toBe('failed');
    expect((await checkpointOf('syslog-down'))!).toMatchObject({ position: 0, lastError: 'ECONNREFUSED' });

    const receiver = await syslogReceiver();
    await drain({ ...sink, port: receiver.port });
    await sleep(20);
    expect(receiver.messages.map((message) => message.event.seq)).toEqual(await allSeqs());
  });

  it('delivers over TLS to a receiver whose certificate chains to the configured CA, and refuses one that does not', async () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'syslog-tls-'));
    const keyFile = path.join(folder, 'key.pem');
    const certFile = path.join(folder, 'cert.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        keyFile,
        '-out',
        certFile,
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=IP:127.0.0.1,DNS:localhost',
      ],
      { stdio: 'ignore' },
    );
    const cert = readFileSync(certFile, 'utf8');
    const receiver = await syslogReceiver({ key: readFileSync(keyFile, 'utf8'), cert });

    // The system's CAs do not know a self-signed certificate.
    const untrusting = syslogSink('syslog-tls-untrusted', receiver.port, { tls: true });
    expect((await advanceSink(untrusting, Date.now() + 10_000)).outcome).toBe('failed');
    expect((await checkpointOf('syslog-tls-untrusted'))!.lastError).toMatch(/SELF_SIGNED/);
    // Nor does a certificate for another name pass.
    const wrongName = syslogSink('syslog-tls-name', receiver.port, { tls: true, ca: cert, servername: 'other' });
    expect((await advanceSink(wrongName, Date.now() + 10_000)).outcome).toBe('failed');
    expect((await checkpointOf('syslog-tls-name'))!.lastError).toMatch(/ALTNAME/);

    const sink = syslogSink('syslog-tls', receiver.port, { tls: true, ca: cert });
    await drain(sink);
    await sleep(20);
    expect(receiver.messages.map((message) => message.event.seq)).toEqual(await allSeqs());
    expect(receiver.messages.every((message) => recomputedHash(message.event) === message.event.chain.hash)).toBe(true);
  });
});
