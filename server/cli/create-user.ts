/**
 * `npm run user:create -- --email a@b.c --name "A" --role admin [--password-stdin]`
 * Shorthand for `npm run users -- create ...`; the password is asked for (hidden) unless piped.
 */
import { runCli } from './users';

await runCli(['create', ...process.argv.slice(2)]);
