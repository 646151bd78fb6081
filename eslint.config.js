// Lint rules that the type checker cannot enforce (docs/architecture.md, "Layers"): promises are
// awaited or handled, and no line runs past 160 characters. Formatting itself is Prettier's.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'reports/**', 'bench/results/**', 'coverage/**'] },
  {
    files: ['**/*.ts'],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      '@typescript-eslint/await-thenable': 'error',
      'max-len': ['error', { code: 160, ignoreUrls: false, ignoreStrings: false, ignoreTemplateLiterals: false }],
    },
  },
);
