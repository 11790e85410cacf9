import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** The domains that hold health data: CRM and portal code may import none of them (CRM-5). */
const HEALTH_DOMAINS = ['**/server/patient/**', '**/server/journal/**', '**/server/consultation/**', '**/server/sharing/**', '**/server/access/**', '**/server/visits/**', '**/server/start/**', '**/shared/patient-schemas', '**/shared/visit-schemas', '**/shared/consultation-schemas', '../patient/**', '../journal/**', '../visits/**', '../consultation/**', '../sharing/**', '../access/**', '../start/**'];

const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'child_process', 'crypto', 'net', 'http', 'https'];

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', '.data/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Migrations and test probes take Kysely<any> on purpose (frozen in time, see STYLE.md 7).
      '@typescript-eslint/no-explicit-any': 'off',
      eqeqeq: ['error', 'always'],
    },
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      // The renderer runs sandboxed: no electron, no node; from the server only types (AppRouter).
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'The renderer talks to the main process only through window.desk.' }],
          patterns: [
            { group: nodeBuiltins, message: 'No node modules in the renderer.' },
            // Server types only through the router (inferRouterOutputs/Inputs of AppRouter, lib/api-types.ts).
            { group: ['**/server/**', '!**/server/router'], message: 'The renderer takes server types only from AppRouter (lib/api-types.ts).' },
            { group: ['**/server/router'], allowTypeImports: true, message: 'Only types may come from the server.' },
            { group: ['**/main/**', '**/preload/**'], message: 'The renderer uses window.desk, typed in src/shared/desk-api.ts.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: ['electron'],
          patterns: [
            { group: nodeBuiltins, message: 'src/shared runs in the renderer too: no node modules.' },
            { group: ['**/server/**', '**/main/**', '**/preload/**', '**/renderer/**'], message: 'src/shared imports nothing of the app.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/server/**/*.ts'],
    rules: {
      // Server output goes through pino (structured, no personal data), never console.
      'no-console': 'error',
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: ['electron'],
          patterns: [
            { group: ['**/renderer/**', '**/main/**', '**/preload/**'] },
            // Only router files speak tRPC: services, access gates and the unit of work throw domain
            // errors (src/server/errors.ts) and the edge in trpc.ts maps them (STYLE.md 6).
            { group: ['@trpc/*', '@trpc/*/**', '**/trpc', './trpc'], message: 'Only router files (and trpc.ts, app.ts) import the tRPC layer; throw a DomainError instead.' },
          ],
        },
      ],
    },
  },
  {
    // The edge itself: the tRPC base procedures, the routers that use them, and the HTTP app that mounts them.
    // intake-router.ts: the visits router's intake procedures, spread into visits/router.ts (issue 10).
    files: ['src/server/trpc.ts', 'src/server/router.ts', 'src/server/**/router.ts', 'src/server/visits/intake-router.ts', 'src/server/app.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { paths: ['electron'], patterns: [{ group: ['**/renderer/**', '**/main/**', '**/preload/**'] }] },
      ],
    },
  },
  {
    // CRM-5: the CRM and the corporate portal never reach health data. Their code (and the generic
    // importer they use) cannot import the patient, journal, consultation, sharing, access or visit
    // domains; a test walks every CRM response for anything from those tables as well.
    files: ['src/server/crm/**/*.ts', 'src/server/portal/**/*.ts', 'src/server/import/**/*.ts', 'src/shared/crm-schemas.ts', 'src/shared/portal-schemas.ts'],
    ignores: ['src/server/**/router.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: ['electron'],
          patterns: [
            { group: ['**/renderer/**', '**/main/**', '**/preload/**'] },
            { group: ['@trpc/*', '@trpc/*/**', '**/trpc', './trpc'], message: 'Only router files (and trpc.ts, app.ts) import the tRPC layer; throw a DomainError instead.' },
            { group: HEALTH_DOMAINS, message: 'CRM-5: CRM and portal code never imports health-data domains.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/server/crm/**/router.ts', 'src/server/portal/**/router.ts', 'src/server/import/**/router.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: ['electron'],
          patterns: [
            { group: ['**/renderer/**', '**/main/**', '**/preload/**'] },
            { group: HEALTH_DOMAINS, message: 'CRM-5: CRM and portal code never imports health-data domains.' },
          ],
        },
      ],
    },
  },
  {
    files: ['migrations/**/*.ts'],
    rules: {
      // Frozen in time: a migration never changes because application code did.
      '@typescript-eslint/no-restricted-imports': ['error', { patterns: [{ group: ['**/src/**'], message: 'Migrations never import app code.' }] }],
    },
  },
);
