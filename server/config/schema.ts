import { z } from 'zod';

const optionalString = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

/** Every environment variable the server reads, with what it expects. */
export const environmentSchema = z.object({
  AUTHLETE_BASE_URL: optionalString.pipe(
    z.url({ protocol: /^https?$/, error: 'an http(s) URL such as https://us.authlete.com' }).optional(),
  ),
  AUTHLETE_SERVICE_ID: optionalString.pipe(
    z.string().regex(/^\d{1,20}$/, 'the numeric service id shown in the Authlete console').optional(),
  ),
  AUTHLETE_SERVICE_ACCESS_TOKEN: optionalString.pipe(
    z.string().min(16, "the service's access token (at least 16 characters)").optional(),
  ),
  AUTHLETE_TIMEOUT_MS: z.coerce
    .number({ error: 'a whole number of milliseconds' })
    .int('a whole number of milliseconds')
    .min(100, 'at least 100 milliseconds')
    .max(120_000, 'at most 120000 milliseconds')
    .default(5_000),
  DATABASE_URL: optionalString.pipe(
    z.url({ protocol: /^postgres(ql)?$/, error: 'a postgres:// connection URL' }).optional(),
  ),
  DATA_DIR: z.string().trim().min(1).default('.data'),
  EMULATOR_PORT: z.coerce.number({ error: 'a TCP port number' }).int().min(1).max(65535).default(4010),
  BETTER_AUTH_SECRET: optionalString.pipe(
    z.string().min(32, 'a random string of at least 32 characters (openssl rand -base64 32)').optional(),
  ),
  APP_URL: optionalString.pipe(z.url({ error: 'the public URL of the dashboard, e.g. https://desk.example.com' }).optional()),
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  VERCEL: optionalString,
});

export type Environment = z.infer<typeof environmentSchema>;

const authleteKeys = ['AUTHLETE_BASE_URL', 'AUTHLETE_SERVICE_ID', 'AUTHLETE_SERVICE_ACCESS_TOKEN'] as const;

/** The variables the three AUTHLETE_* must be given together; a partial set is a mistake. */
export function missingAuthleteVariables(env: Environment): string[] {
  const given = authleteKeys.filter((key) => env[key] !== undefined);
  if (given.length === 0 || given.length === authleteKeys.length) return [];
  return authleteKeys.filter((key) => env[key] === undefined);
}
