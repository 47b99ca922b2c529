import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './load';

const sinks = (value: unknown) => loadConfig({ AUDIT_SINKS: JSON.stringify(value) }).auditSinks;
const refusal = (value: unknown) => {
  try {
    sinks(value);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('accepted');
};

describe('AUDIT_SINKS', () => {
  it('is empty when unset or blank', () => {
    expect(loadConfig({}).auditSinks).toEqual([]);
    expect(loadConfig({ AUDIT_SINKS: '  ' }).auditSinks).toEqual([]);
  });

  it('reads HTTP and syslog sinks with their defaults, and the PEM files of a TLS sink', () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'sinks-'));
    const ca = path.join(folder, 'ca.pem');
    writeFileSync(ca, '-----BEGIN CERTIFICATE-----\nxyz\n-----END CERTIFICATE-----\n');
    expect(
      sinks([
        {
          name: 'soc',
          type: 'http',
          url: 'https://soc.example.com/ingest',
          headers: { authorization: 'Bearer s3cret' },
        },
        { name: 'siem', type: 'syslog', host: 'siem.example.com', tls: true, ca },
        { name: 'plain', type: 'syslog', host: '10.0.0.5', batchSize: 50, facility: 10 },
      ]),
    ).toEqual([
      {
        name: 'soc',
        type: 'http',
        url: 'https://soc.example.com/ingest',
        headers: { authorization: 'Bearer s3cret' },
        batchSize: 200,
        retryBaseMs: 5000,
        timeoutMs: 10_000,
      },
      {
        name: 'siem',
        type: 'syslog',
        host: 'siem.example.com',
        port: 6514,
        tls: true,
        ca: '-----BEGIN CERTIFICATE-----\nxyz\n-----END CERTIFICATE-----\n',
        cert: undefined,
        key: undefined,
        facility: 13,
        appName: 'token-desk',
        batchSize: 200,
        retryBaseMs: 5000,
        timeoutMs: 10_000,
      },
      {
        name: 'plain',
        type: 'syslog',
        host: '10.0.0.5',
        port: 514,
        tls: false,
        ca: undefined,
        cert: undefined,
        key: undefined,
        facility: 10,
        appName: 'token-desk',
        batchSize: 50,
        retryBaseMs: 5000,
        timeoutMs: 10_000,
      },
    ]);
  });

  it('stops the start-up with one line naming the sink and field, never a secret', () => {
    expect(() => loadConfig({ AUDIT_SINKS: '{nope' })).toThrow(
      'Invalid configuration: AUDIT_SINKS must be JSON (a JSON array of sinks).',
    );
    expect(refusal({ name: 'x' })).toBe('Invalid configuration: AUDIT_SINKS must be a JSON array of sinks.');
    expect(refusal([{ name: 'soc', type: 'kafka' }])).toBe(
      'Invalid configuration: AUDIT_SINKS[0] (soc).type must be a type, http or syslog.',
    );
    const withCredentials = refusal([{ name: 'soc', type: 'http', url: 'https://user:hunter2@soc.example.com/' }]);
    expect(withCredentials).toBe(
      'Invalid configuration: AUDIT_SINKS[0] (soc).url must be an http(s) URL without credentials (put them in headers, which are never logged).',
    );
    expect(withCredentials).not.toContain('hunter2');
    expect(refusal([{ name: 'soc', type: 'http', url: 'ftp://soc.example.com/' }])).toBe(
      'Invalid configuration: AUDIT_SINKS[0] (soc).url must be an http(s) URL.',
    );
    expect(
      refusal([
        { name: 'a', type: 'http', url: 'https://a.example.com/' },
        { name: 'a', type: 'syslog', host: 'b.example.com' },
      ]),
    ).toBe('Invalid configuration: AUDIT_SINKS[1] (a).name must be unique (a is listed twice).');
    expect(refusal([{ name: 's', type: 'syslog', host: 'h', ca: '/etc/ca.pem' }])).toBe(
      'Invalid configuration: AUDIT_SINKS[0] (s).tls must be true when ca, cert, key or servername is set.',
    );
    expect(refusal([{ name: 's', type: 'syslog', host: 'h', tls: true, cert: '/c.pem' }])).toBe(
      'Invalid configuration: AUDIT_SINKS[0] (s).cert must be given together with key.',
    );
    expect(refusal([{ name: 's', type: 'syslog', host: 'h', tls: true, ca: '/nonexistent/ca.pem' }])).toBe(
      'Invalid configuration: AUDIT_SINKS[0] (s).ca must be a readable PEM file (ENOENT: /nonexistent/ca.pem).',
    );
    expect(refusal([{ name: 's', type: 'syslog', host: 'h', port: 70_000 }])).toBe(
      'Invalid configuration: AUDIT_SINKS[0] (s).port must be a TCP port number.',
    );
    expect(refusal([{ name: 'bad name!', type: 'syslog', host: 'h' }])).toBe(
      'Invalid configuration: AUDIT_SINKS[0].name must be a name of up to 40 letters, digits, - and _.',
    );
  });
});
