/**
 * Vitest global setup: gives test processes a folder to record emulator exchanges in, and at the
 * end of the run validates every one against Authlete's OpenAPI description, prints the figure and
 * fails the run on any violation the allowlist in conformance.ts does not name.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CONFORMANCE_DIR_ENV, checkConformance, locateOpenApi, readRecordedExchanges } from './conformance';

const MAX_LISTED = 25;

export default function setup(): () => Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'emulator-conformance-'));
  // Forked test workers inherit the environment.
  process.env[CONFORMANCE_DIR_ENV] = dir;
  return async () => {
    try {
      const exchanges = readRecordedExchanges(dir);
      if (exchanges.length === 0) return;
      const openApi = locateOpenApi(path.resolve(import.meta.dirname, '../..'));
      if (!openApi) {
        console.log(
          `Authlete OpenAPI conformance: not checked, openapi.yaml not found (set AUTHLETE_OPENAPI_PATH or place it at ../shared/authlete/); the SDK model checks still ran.`,
        );
        return;
      }
      const started = performance.now();
      const report = await checkConformance(openApi, exchanges);
      const allowed = [...report.allowed].map(([reason, n]) => `${n} ${reason}`).join('; ');
      console.log(
        `Authlete OpenAPI conformance: ${report.validated} emulator requests and answers validated, ` +
          `${report.violations.length} violations${allowed ? ` (allowed: ${allowed})` : ''} ` +
          `[${report.skipped} not Authlete operations or injected faults; ` +
          `${report.authlete2x} Authlete 2.x requests not checked: the file describes 3.x only; ` +
          `${Math.round(performance.now() - started)} ms]`,
      );
      if (report.violations.length > 0) {
        const listed = report.violations
          .slice(0, MAX_LISTED)
          .map((v) => `  - ${v}`)
          .join('\n');
        const more =
          report.violations.length > MAX_LISTED ? `\n  … and ${report.violations.length - MAX_LISTED} more` : '';
        // Vitest reports an error thrown here but still exits 0 when every test passed.
        process.exitCode = 1;
        throw new Error(`The emulator broke Authlete's OpenAPI description:\n${listed}${more}`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}
