// ESLint flat config. The import rules enforce docs/architecture.md ("Who may import whom"); keep
// the two in step. Syntax-only linting (no type information), so it stays fast on two cores.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * `no-restricted-imports` does not look at `import()`. This rule holds an `import()` whose source
 * is a string literal (or a template without expressions) to the same `allowed` pattern, so the
 * rules of docs/architecture.md hold for lazily loaded modules too.
 */
const dynamicImports = {
  meta: {
    type: 'problem',
    schema: [{ type: 'object', properties: { allowed: { type: 'string' }, message: { type: 'string' } }, additionalProperties: false }],
  },
  create(context) {
    const { allowed, message } = context.options[0];
    const pattern = new RegExp(`^(?:${allowed})`);
    const sourceOf = (node) => {
      if (node.type === 'Literal') return node.value;
      if (node.type === 'TemplateLiteral' && node.expressions.length === 0) return node.quasis[0].value.cooked;
      return undefined;
    };
    return {
      ImportExpression(node) {
        const source = sourceOf(node.source);
        if (typeof source === 'string' && !pattern.test(source)) context.report({ node: node.source, message: `'${source}' import is restricted: ${message}` });
      },
    };
  },
};

/** The import rules of a folder: only relative imports that match `allowed` (a regex source), static or `import()`. */
const onlyImports = (allowed, message) => ({
  'no-restricted-imports': ['error', { patterns: [{ regex: `^(?!(?:${allowed})).*`, message }] }],
  'local/dynamic-imports': ['error', { allowed, message }],
});

const PLATFORM_RULE =
  'A platform imports the core, src/shared and (web, Capacitor) src/ui only, never another platform or the session layer (docs/architecture.md).';

export default tseslint.config(
  { ignores: ['dist/**', 'docs/api/**', 'node_modules/**', 'demo/dist/**', 'test-results/**', 'playwright-report/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2024, sourceType: 'module' },
    plugins: { local: { rules: { 'dynamic-imports': dynamicImports } } },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // TypeScript checks these (strict, noUnusedLocals/Parameters); the linter's copies only disagree.
      'no-undef': 'off',
      '@typescript-eslint/no-unused-vars': 'off',
      // A `let` read by a callback before its one assignment (a fixture handing out a later value).
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
    },
  },
  {
    // Identity Vault 5.x/6.x's own API types some values as `any` (getValue<T = any>, …); kept as published.
    files: ['src/vault-api/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // The Identity Vault 3.x/4.x apps reproduced in test/compat/v4 typed values `any`, as Identity Vault 4.x did.
    files: ['test/compat/v4/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['test/**', 'bench/**'],
    rules: {
      // Bad-input tables hold sparse arrays on purpose; Playwright fixtures take `({}, use)`.
      'no-sparse-arrays': 'off',
      'no-empty-pattern': 'off',
    },
  },
  {
    files: ['test/**'],
    rules: {
      // Tests of the public API import the package by its name, as an app does (docs/architecture.md, "Tests").
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: String.raw`^(\.\./)+src/((web|node|testing|platform|capacitor)/)?index\.js$`,
              message:
                "Import an entry point by the package's name ('identity-vault', 'identity-vault/testing', …), as an app does (docs/architecture.md, \"Tests\").",
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      ...onlyImports(
        String.raw`\./|\.\./shared/listener-set\.js$`,
        'The core is platform-free: it imports src/core and src/shared/listener-set.ts only; platforms reach it through src/core/ports.ts (docs/architecture.md).',
      ),
      // Replaces scripts/check-core-imports.mjs: the core touches no host global, timer or log.
      'no-restricted-globals': [
        'error',
        ...[
          'window',
          'document',
          'self',
          'globalThis',
          'indexedDB',
          'navigator',
          'localStorage',
          'sessionStorage',
          'BroadcastChannel',
          'fetch',
          'Buffer',
          'process',
          'require',
        ].map((name) => ({
          name,
          message: `The core is platform-free: no ${name} (use a port from src/core/ports.ts).`,
        })),
        { name: 'crypto', message: 'The core uses CryptoPort, never the crypto global.' },
        ...['setTimeout', 'setInterval', 'clearTimeout', 'clearInterval', 'queueMicrotask', 'setImmediate'].map((name) => ({
          name,
          message: 'The core uses ClockPort for time and timers.',
        })),
        { name: 'console', message: 'The core logs nothing: nothing secret may reach a log (docs/security.md, "Error messages and logs").' },
      ],
      'no-restricted-properties': ['error', { object: 'Date', property: 'now', message: 'The core uses ClockPort.now().' }],
    },
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: onlyImports(String.raw`\./|\.\./core/`, 'src/shared runs everywhere: it imports src/core only (docs/architecture.md).'),
  },
  {
    files: ['src/ui/**/*.ts'],
    rules: onlyImports(String.raw`\./|\.\./core/`, 'src/ui is the DOM the web and Capacitor platforms show: it imports src/core only (docs/architecture.md).'),
  },
  {
    files: ['src/platform/**/*.ts'],
    rules: onlyImports(String.raw`\./|\.\./core/`, 'identity-vault/platform re-exports the core only (docs/architecture.md).'),
  },
  {
    files: ['src/session/**/*.ts'],
    rules: onlyImports(
      String.raw`\./|\.\./core/|\.\./shared/|\.\./default-plugin\.js$`,
      'The session layer runs on any platform: it imports the core, src/shared and the default plugin only (docs/architecture.md).',
    ),
  },
  {
    files: ['src/node/**/*.ts', 'src/testing/**/*.ts'],
    rules: onlyImports(String.raw`\./|\.\./core/|\.\./shared/|[^.]`, PLATFORM_RULE),
  },
  {
    files: ['src/web/**/*.ts'],
    rules: onlyImports(String.raw`\./|\.\./core/|\.\./shared/|\.\./ui/|[^.]`, PLATFORM_RULE),
  },
  {
    files: ['src/capacitor/**/*.ts'],
    // The one exception: outside a native app, the Capacitor platform falls back to the web platform.
    // Its passcode dialog is loaded through web/on-first-use.ts, so the dialog is one chunk with the
    // web platform's other first-use parts instead of a chunk of its own.
    rules: onlyImports(String.raw`\./|\.\./core/|\.\./shared/|\.\./ui/|\.\./web/(index|platform|on-first-use)\.js$|[^.]`, PLATFORM_RULE),
  },
);
