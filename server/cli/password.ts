import readline from 'node:readline';
import { MIN_PASSWORD_LENGTH } from '@/server/auth/users';

async function readAllStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk));
  // One trailing newline is the shell's, not the password's.
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

/** Asks on the terminal without echoing what is typed. */
function ask(question: string): Promise<string> {
  return new Promise((resolve) => {
    const rl = readline.createInterface({ input: process.stdin, output: process.stderr, terminal: true });
    const write = (rl as unknown as { _writeToOutput: (text: string) => void })._writeToOutput.bind(rl);
    let asked = false;
    (rl as unknown as { _writeToOutput: (text: string) => void })._writeToOutput = (text: string) => {
      if (!asked) {
        asked = true;
        write(text);
      }
    };
    rl.question(question, (answer) => {
      rl.close();
      process.stderr.write('\n');
      resolve(answer);
    });
  });
}

/** The new password: from stdin (`--password-stdin`, for scripts) or typed twice on a terminal. */
export async function readPassword({ fromStdin, confirm }: { fromStdin: boolean; confirm: boolean }): Promise<string> {
  if (fromStdin) return readAllStdin();
  if (!process.stdin.isTTY) throw new Error('No terminal to ask for the password on; pipe it with --password-stdin.');
  const password = await ask(`Password (at least ${MIN_PASSWORD_LENGTH} characters): `);
  if (confirm && (await ask('Repeat the password: ')) !== password) throw new Error('The passwords do not match.');
  return password;
}
