import nextVitals from 'eslint-config-next/core-web-vitals';
import nextTs from 'eslint-config-next/typescript';

const config = [
  ...nextVitals,
  ...nextTs,
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
    // components/batch (the jobs UI) moves onto components/data in its own change.
    ignores: ['components/data/**', 'components/batch/**'],
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
