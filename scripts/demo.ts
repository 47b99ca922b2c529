/** `npm run demo`: the emulator with demo data and the dashboard, keeping data in .data between runs. */
import path from 'node:path';
import { demoAccounts } from '../server/auth/demo-accounts';
import { DEMO_EMULATOR_PORT } from '../server/config/demo';
import { runStack } from './run-stack';

const dataDir = path.resolve(process.env.DATA_DIR ?? '.data');
const stack = await runStack({
  appPort: Number(process.env.PORT ?? 3000),
  emulatorPort: Number(process.env.EMULATOR_PORT ?? DEMO_EMULATOR_PORT),
  dataDir,
});

console.log(`
  Token Desk is running (demo: local Authlete emulator)

    Dashboard  ${stack.appUrl}
    Emulator   ${stack.emulatorUrl} (production = the dashboard's service, staging and an Authlete 2.x
               service beside it: credentials in server/emulator/README.md)
    Data       ${dataDir}

  Sign in with (password for each: ${demoAccounts()[0]?.password})
${demoAccounts()
  .map((account) => `    ${account.email.padEnd(22)} ${account.role}`)
  .join('\n')}

  Press Ctrl+C to stop.
`);
