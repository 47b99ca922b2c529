import nextVitals from 'eslint-config-next/core-web-vitals';
import nextTs from 'eslint-config-next/typescript';

/**
 * The floors of `server/`, lowest first (README, "Layout"). A folder imports only from the floors
 * below it and from itself; server/layers.test.ts fails on any cycle between folders. Tests and
 * `server/testing` (test support) may import any floor. The emulator is a separate program: it
 * shares only the demo constants in `server/config/demo.ts`.
 */
const serverFloors = [
  ['config'],
  ['core', 'security'],
  ['db'],
  ['authlete'],
  ['services'],
  ['audit', 'rate-limit', 'webhooks'],
  ['auth'],
  ['tokens', 'jobs', 'approvals'],
  ['http'],
  ['health', 'cli', 'startup.ts'],
];
const floorOf = (folder) => serverFloors.findIndex((floor) => floor.includes(folder));
const everyServerFolder = [...serverFloors.flat(), 'emulator', 'testing'];
const serverZones = [
  ...serverFloors.flat().map((folder) => ({
    target: `./server/${folder}`,
    from: everyServerFolder
      .filter((other) => other !== folder && !(floorOf(other) >= 0 && floorOf(other) < floorOf(folder)))
      .map((other) => `./server/${other}`),
    message: 'server/ imports run downwards only (README, "Layout").',
  })),
  {
    target: './server/emulator',
    from: './server',
    except: ['./emulator', './config/demo.ts'],
    message: 'The emulator is a separate program: it shares only server/config/demo.ts.',
  },
];

const config = [
  ...nextVitals,
  ...nextTs,
  {
    files: ['server/**/*.ts'],
    ignores: ['**/*.test.ts', 'server/testing/**'],
    rules: { 'import/no-restricted-paths': ['error', { zones: serverZones }] },
  },
  {
    ignores: [
      '.next/**',
      'node_modules/**',
      '.data/**',
      'test-results/**',
      'playwright-report/**',
      'next-env.d.ts',
      'server/db/migrations/**',
    ],
  },
  {
    // The browser's data layer is components/data: per resource its query keys, queries and mutations.
    // Components call those hooks; they never build keys, call the API client, fetch or use TanStack Query.
    files: ['components/**/*.{ts,tsx}'],
    ignores: ['components/data/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: '@tanstack/react-query',
              allowTypeImports: true,
              message: 'Use (or add) a query or mutation hook in components/data.',
            },
          ],
          patterns: [
            {
              group: ['**/lib/api-client'],
              importNames: ['api'],
              message: 'Call the API through a hook in components/data.',
            },
            {
              group: ['**/data/*'],
              importNamePattern: 'Keys$',
              message: 'Query keys belong to components/data; add a hook there instead.',
            },
          ],
        },
      ],
      'no-restricted-globals': ['error', { name: 'fetch', message: 'Requests go through a hook in components/data.' }],
      'no-restricted-properties': [
        'error',
        { object: 'window', property: 'fetch', message: 'Requests go through a hook in components/data.' },
      ],
    },
  },
];

export default config;
