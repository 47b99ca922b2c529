import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmulator, type Emulator } from '../../server/emulator/server';

/** An emulator seeded with `tokens` tokens in a throw-away folder, reporting seeding progress on stderr. */
export async function startSeededEmulator(
  tokens: number,
  folderPrefix: string,
): Promise<{ emulator: Emulator; close: () => Promise<void> }> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), folderPrefix));
  let lastReport = 0;
  const emulator = await startEmulator({
    dataDir,
    seed: { tokens },
    onSeedProgress: (inserted, total) => {
      if (inserted - lastReport >= 200_000 || inserted === total) {
        lastReport = inserted;
        process.stderr.write(`  seeded ${inserted.toLocaleString('en-US')} / ${total.toLocaleString('en-US')}\n`);
      }
    },
  });
  return {
    emulator,
    close: async () => {
      await emulator.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
