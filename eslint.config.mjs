// ESLint (flat config): JavaScript's and typescript-eslint's recommended rules over the sources,
// tests, scripts and demo. Formatting is Prettier's business (`.prettierrc.json`), not ESLint's.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'lib/**', 'packages/*/dist/**', 'node_modules/**', '.wtr-tmp/**', 'custom-elements.json', 'examples/*/dist/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2022, sourceType: 'module' },
    rules: {
      // `_name` marks a parameter a signature needs and the body does not.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      'no-console': ['error', { allow: ['warn', 'error'] }],
      eqeqeq: ['error', 'always'],
    },
  },
  {
    // Node-side files: the server, scripts and configs.
    files: ['packages/server/**', 'scripts/**', 'test/server/**', 'test/node/**', '*.mjs'],
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        setImmediate: 'readonly',
        performance: 'readonly',
        structuredClone: 'readonly',
        fetch: 'readonly',
        AbortController: 'readonly',
        TextEncoder: 'readonly',
        TextDecoder: 'readonly',
      },
    },
    rules: { 'no-console': 'off' },
  },
  {
    // Tests: chai's property assertions (`expect(x).to.be.true`) are expressions; tests may print
    // what they measured, and JSON answers are read loosely.
    files: ['test/**'],
    rules: {
      '@typescript-eslint/no-unused-expressions': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-this-alias': 'off',
      'no-console': 'off',
    },
  },
  {
    // Browser-side JavaScript (the demo pages, the bench page script, the plain HTML example and
    // the WordPress plugin's editor script).
    files: ['demo/**/*.js', 'examples/html/**/*.js', 'integrations/**/*.js'],
    languageOptions: {
      globals: {
        window: 'readonly',
        document: 'readonly',
        console: 'readonly',
        customElements: 'readonly',
        location: 'readonly',
        URL: 'readonly',
        URLSearchParams: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        fetch: 'readonly',
        CustomEvent: 'readonly',
        HTMLElement: 'readonly',
        performance: 'readonly',
        navigator: 'readonly',
        trustedTypes: 'readonly',
        parent: 'readonly',
        Element: 'readonly',
        SecurityPolicyViolationEvent: 'readonly',
      },
    },
  },
);
