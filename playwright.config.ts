import { defineConfig, devices } from '@playwright/test';

const appPort = Number(process.env.E2E_APP_PORT ?? 3100);
const emulatorPort = Number(process.env.E2E_EMULATOR_PORT ?? 4110);

export default defineConfig({
  testDir: './e2e',
  fullyParallel: false,
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  reporter: process.env.CI ? [['list']] : [['list']],
  timeout: 60_000,
  use: {
    baseURL: `http://127.0.0.1:${appPort}`,
    trace: 'retain-on-failure',
    ...devices['Desktop Chrome'],
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  projects: [
    { name: 'desktop', testIgnore: /phone\.spec\.ts$/ },
    // Every page at a small phone's width (e2e/phone.spec.ts only, so the suite time does not double).
    {
      name: 'phone',
      testMatch: /phone\.spec\.ts$/,
      use: { ...devices['Pixel 5'], viewport: { width: 360, height: 740 } },
    },
  ],
  webServer: {
    command: `node --import tsx scripts/e2e-servers.ts`,
    url: `http://127.0.0.1:${appPort}/api/health`,
    timeout: 180_000,
    reuseExistingServer: false,
    // The app's access log is on stdout; its warnings and errors (stderr) still show.
    stdout: 'ignore',
    env: { E2E_APP_PORT: String(appPort), E2E_EMULATOR_PORT: String(emulatorPort) },
  },
});
