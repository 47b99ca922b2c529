import { describe, expect, it } from 'vitest';
import { appOriginFor, isCrossSiteRequest, isJsonContentType } from './origin';

const APP = 'https://desk.example.com';
const headers = (init: Record<string, string>) => new Headers(init);

describe('isCrossSiteRequest', () => {
  it.each([
    [{ 'sec-fetch-site': 'same-origin' }, false],
    [{ 'sec-fetch-site': 'none' }, false],
    [{ 'sec-fetch-site': 'cross-site' }, true],
    // A sibling subdomain is not this app.
    [{ 'sec-fetch-site': 'same-site' }, true],
    // Sec-Fetch-Site wins over a matching Origin.
    [{ 'sec-fetch-site': 'cross-site', origin: APP }, true],
    [{ origin: APP }, false],
    [{ origin: 'https://DESK.example.com' }, false],
    [{ origin: 'https://evil.example' }, true],
    [{ origin: 'https://desk.example.com.evil.example' }, true],
    [{ origin: 'null' }, true],
    [{}, false],
  ])('%j → %s', (init, expected) => {
    expect(isCrossSiteRequest(headers(init), APP)).toBe(expected);
  });
});

describe('appOriginFor', () => {
  it('prefers APP_URL (behind a proxy) and falls back to the request URL', () => {
    expect(appOriginFor('http://10.0.0.5:3000/api/tokens', 'https://desk.example.com/')).toBe(APP);
    expect(appOriginFor('http://localhost:3000/api/tokens', undefined)).toBe('http://localhost:3000');
  });
});

describe('isJsonContentType', () => {
  it.each([
    ['application/json', true],
    ['application/json; charset=utf-8', true],
    ['Application/JSON', true],
    ['text/plain', false],
    ['application/x-www-form-urlencoded', false],
    ['multipart/form-data; boundary=x', false],
    ['application/json-patch+json', false],
  ])('%s → %s', (value, expected) => {
    expect(isJsonContentType(value)).toBe(expected);
  });

  it('is false without a Content-Type', () => {
    expect(isJsonContentType(null)).toBe(false);
  });
});
