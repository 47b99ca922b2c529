import { describe, expect, it } from 'vitest';
import { resolveLocale } from './locale';

describe('resolveLocale', () => {
  it('prefers the saved choice over the browser', () => {
    expect(resolveLocale('ja', 'en-US,en;q=0.9')).toBe('ja');
    expect(resolveLocale('en', 'ja-JP,ja;q=0.9')).toBe('en');
  });

  it('ignores a saved value that is not a language we speak', () => {
    expect(resolveLocale('fr', 'ja-JP')).toBe('ja');
  });

  it('matches Accept-Language by quality and by language without region', () => {
    expect(resolveLocale(undefined, 'ja-JP,ja;q=0.9,en;q=0.8')).toBe('ja');
    expect(resolveLocale(undefined, 'fr-FR,fr;q=0.9,ja;q=0.5,en;q=0.4')).toBe('ja');
    expect(resolveLocale(undefined, 'de-DE,en-GB;q=0.8')).toBe('en');
  });

  it('falls back to English when nothing matches or the header is missing or malformed', () => {
    expect(resolveLocale(undefined, 'fr-FR')).toBe('en');
    expect(resolveLocale(undefined, undefined)).toBe('en');
    expect(resolveLocale(undefined, '***,;;q=x')).toBe('en');
  });
});
