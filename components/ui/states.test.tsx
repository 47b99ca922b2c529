import { NextIntlClientProvider } from 'next-intl';
import type { ReactNode } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { ApiError } from '@/lib/api-client';
import { errorDigest } from '@/lib/error-digest';
import { RenderError } from './render-error';
import { ErrorDescription, ErrorState, summarizeError } from './states';

import en from '@/messages/en.json';
import ja from '@/messages/ja.json';

function render(node: ReactNode, locale: 'en' | 'ja' = 'en'): string {
  return renderToStaticMarkup(
    <NextIntlClientProvider locale={locale} messages={locale === 'en' ? en : ja} timeZone="UTC">
      {node}
    </NextIntlClientProvider>,
  );
}

const failure = new ApiError(
  502,
  'upstream_unavailable',
  'Authlete did not answer; try again.',
  undefined,
  '0b7c1e9a-5d2f-4c1e-9a3b-2f6d8e4c1a7b',
);

describe('summarizeError', () => {
  it('reads the message, code, status and request id off an ApiError', () => {
    expect(summarizeError(failure)).toEqual({
      message: 'Authlete did not answer; try again.',
      code: 'upstream_unavailable',
      status: 502,
      requestId: '0b7c1e9a-5d2f-4c1e-9a3b-2f6d8e4c1a7b',
    });
  });

  it('falls back to a generic message for values that are not errors', () => {
    expect(summarizeError('boom')).toEqual({ message: 'Something went wrong.' });
  });
});

describe('error displays quote the request id', () => {
  it('the toast description shows the message and a selectable request id', () => {
    const html = render(<ErrorDescription error={failure} />);
    expect(html).toContain('Authlete did not answer; try again.');
    expect(html).toMatch(/Request ID <code[^>]*select-all[^>]*>0b7c1e9a-5d2f-4c1e-9a3b-2f6d8e4c1a7b<\/code>/);
  });

  it('the toast description has no request id line when the failure carries none', () => {
    const html = render(<ErrorDescription error={new ApiError(0, 'network', 'Token Desk could not be reached.')} />);
    expect(html).toContain('Token Desk could not be reached.');
    expect(html).not.toContain('Request ID');
  });

  it('in Japanese, says what the API error code means and keeps the request id', () => {
    const html = render(<ErrorState error={failure} />, 'ja');
    expect(html).toContain('現在 Authlete に接続できません。');
    expect(html).not.toContain('Authlete did not answer');
    expect(html).toMatch(/リクエスト ID <code[^>]*>0b7c1e9a-5d2f-4c1e-9a3b-2f6d8e4c1a7b<\/code>/);
    expect(html).toContain('読み込めませんでした');
  });

  it('the error panel shows the same request id', () => {
    const html = render(<ErrorState error={failure} title="Tokens could not be loaded" />);
    expect(html).toContain('role="alert"');
    expect(html).toContain('0b7c1e9a-5d2f-4c1e-9a3b-2f6d8e4c1a7b');
  });
});

describe('render error fallback', () => {
  it('reads Next’s digest only when it is a non-empty string', () => {
    expect(errorDigest(Object.assign(new Error('hidden'), { digest: '2417512301' }))).toBe('2417512301');
    expect(errorDigest(new Error('client-side'))).toBeUndefined();
    expect(errorDigest({ digest: 42 })).toBeUndefined();
    expect(errorDigest(null)).toBeUndefined();
  });

  it('shows the digest to quote and a retry, never the error message', () => {
    const html = render(
      <RenderError error={Object.assign(new Error('secret detail'), { digest: '2417512301' })} retry={() => {}} />,
    );
    expect(html).toContain('role="alert"');
    expect(html).toMatch(/Error ID <code[^>]*select-all[^>]*>2417512301<\/code>/);
    expect(html).toContain('Try again');
    expect(html).not.toContain('secret detail');
  });
});
