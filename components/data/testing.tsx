/**
 * Test helpers for the data hooks: each test gets its own QueryClient (no retries, so a failure
 * shows at once) inside the English messages and a fetch stub that answers by method and path and records every request.
 */
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { renderHook } from '@testing-library/react';
import { NextIntlClientProvider } from 'next-intl';
import englishMessages from '@/messages/en.json';
import { vi } from 'vitest';
import type { Service } from '@/lib/schemas/service';
import { ServiceProvider } from './service';

/** The service the hooks under test are on: their API addresses start `/api/s/default/`. */
export const TEST_SERVICE: Service = { slug: 'default', name: 'Authlete', environment: 'production', apiVersion: 3 };

export function renderDataHook<Result>(hook: () => Result, queryClient = newQueryClient()) {
  const wrapper = ({ children }: { children: React.ReactNode }) => (
    <NextIntlClientProvider locale="en" messages={englishMessages} timeZone="UTC">
      <ServiceProvider services={[TEST_SERVICE]} slug={TEST_SERVICE.slug}>
        <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>
      </ServiceProvider>
    </NextIntlClientProvider>
  );
  return { ...renderHook(hook, { wrapper }), queryClient };
}

function newQueryClient(): QueryClient {
  return new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
}

export interface RecordedRequest {
  method: string;
  /** Path and query string, e.g. `/api/s/default/tokens?subject=alice`. */
  url: string;
  body: unknown;
}

type Answer = { status?: number; body?: unknown; headers?: Record<string, string> };

/** Stubs `fetch`; `answer` gets each request and says what to send back (200 with `{}` by default). */
export function stubFetch(answer: (request: RecordedRequest) => Answer | undefined = () => undefined) {
  const requests: RecordedRequest[] = [];
  const fetch = vi.fn(async (input: string, init: RequestInit = {}) => {
    const request = {
      method: init.method ?? 'GET',
      url: input,
      body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined,
    };
    requests.push(request);
    const { status = 200, body = {}, headers = {} } = answer(request) ?? {};
    return new Response(status === 204 ? null : JSON.stringify(body), {
      status,
      headers: { 'content-type': 'application/json', ...headers },
    });
  });
  vi.stubGlobal('fetch', fetch);
  return requests;
}
