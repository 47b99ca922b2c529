import { startEmulator, type Emulator, type EmulatorOptions } from '@/server/emulator/server';
import type { FaultsInput } from '@/server/emulator/faults';
import { recordExchange } from './conformance';

/** A real emulator on an ephemeral port, plus its control endpoints, for integration tests. */
export interface TestEmulator extends Emulator {
  setFaults(faults: FaultsInput): Promise<void>;
  clearFaults(): Promise<void>;
  /** Requests the emulator saw per Authlete operationId (e.g. `auth_token_create_api`). */
  stats(): Promise<{ total: number; operations: Record<string, number> }>;
  resetStats(): Promise<void>;
}

export async function startTestEmulator(options: EmulatorOptions = {}): Promise<TestEmulator> {
  const emulator = await startEmulator({ seed: { demo: true, tokens: 120 }, onExchange: recordExchange, ...options });
  const control = async (method: string, path: string, body?: unknown) => {
    // Control endpoints take JSON only, a bodiless POST included.
    const response = await fetch(`${emulator.url}/__emulator/${path}`, {
      method,
      headers: method === 'POST' ? { 'content-type': 'application/json' } : {},
      body: method === 'POST' ? JSON.stringify(body ?? {}) : undefined,
    });
    if (!response.ok)
      throw new Error(`Emulator control ${method} ${path} failed: ${response.status} ${await response.text()}`);
    return response.json();
  };
  return {
    ...emulator,
    close: () => emulator.close(),
    setFaults: async (faults) => void (await control('POST', 'faults', faults)),
    clearFaults: async () => void (await control('POST', 'faults', {})),
    stats: () => control('GET', 'stats'),
    resetStats: async () => void (await control('POST', 'stats/reset')),
  };
}
