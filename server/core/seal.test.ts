import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { envelopeKeyId, envelopeKeyOf, EnvelopeKeyError, openEnvelope, rewrapEnvelope, sealEnvelope } from './seal';

const newKey = () => crypto.randomBytes(32).toString('base64');

describe('envelope encryption (ENCRYPTION_KEY)', () => {
  const oldKey = newKey();
  const currentKey = newKey();

  it('opens what it sealed, with a fresh data key each time and the key id beside it', () => {
    const keys = { current: currentKey };
    const first = sealEnvelope(keys, 'stored-service:eu', 'secret-token-value');
    const second = sealEnvelope(keys, 'stored-service:eu', 'secret-token-value');
    expect(first).not.toBe(second);
    expect(first).not.toContain('secret-token-value');
    expect(envelopeKeyOf(first)).toBe(envelopeKeyId(currentKey));
    expect(openEnvelope(keys, 'stored-service:eu', first)).toBe('secret-token-value');
    expect(openEnvelope(keys, 'stored-service:eu', second)).toBe('secret-token-value');
  });

  it('does not open in another row, nor when changed', () => {
    const keys = { current: currentKey };
    const sealed = sealEnvelope(keys, 'stored-service:eu', 'value');
    expect(() => openEnvelope(keys, 'stored-service:us', sealed)).toThrow();
    const parts = sealed.split('.');
    parts[7] = Buffer.from('other').toString('base64url');
    expect(() => openEnvelope(keys, 'stored-service:eu', parts.join('.'))).toThrow();
    expect(() => openEnvelope(keys, 'stored-service:eu', 'v1.a.b.c')).toThrow(/unknown format/);
  });

  it('rotation: the previous key still opens old envelopes, re-wrapping moves them to the current key', () => {
    const sealedOld = sealEnvelope({ current: oldKey }, 'row', 'value');
    const rotating = { current: currentKey, previous: oldKey };
    expect(openEnvelope(rotating, 'row', sealedOld)).toBe('value');

    const rewrapped = rewrapEnvelope(rotating, 'row', sealedOld);
    expect(envelopeKeyOf(rewrapped)).toBe(envelopeKeyId(currentKey));
    // The text itself is not re-encrypted: only the wrapped data key changed.
    expect(rewrapped.split('.').slice(5)).toEqual(sealedOld.split('.').slice(5));
    // Once re-wrapped, the previous key is no longer needed.
    expect(openEnvelope({ current: currentKey }, 'row', rewrapped)).toBe('value');
  });

  it('fails clearly under a key that is neither the current nor the previous one', () => {
    const sealed = sealEnvelope({ current: oldKey }, 'row', 'value');
    const open = () => openEnvelope({ current: currentKey }, 'row', sealed);
    expect(open).toThrow(EnvelopeKeyError);
    expect(open).toThrow(
      `encrypted under key ${envelopeKeyId(oldKey)}, which is neither ENCRYPTION_KEY (${envelopeKeyId(currentKey)}) nor ENCRYPTION_KEY_PREVIOUS (unset)`,
    );
  });

  it('a forged key id does not let a wrong key in', () => {
    const sealed = sealEnvelope({ current: oldKey }, 'row', 'value');
    const forged = sealed.replace(envelopeKeyId(oldKey), envelopeKeyId(currentKey));
    expect(() => openEnvelope({ current: currentKey }, 'row', forged)).toThrow();
  });
});
