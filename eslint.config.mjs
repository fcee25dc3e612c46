// One linter and formatter for the whole repository: ESLint with neostandard
// (JavaScript Standard Style, with TypeScript), which is how the code is written.
import neostandard from 'neostandard'

export default [
  ...neostandard({
    ts: true,
    ignores: ['**/dist/**', '**/node_modules/**', 'docs/api/**', '**/*.generated.ts', '.turbo/**', '.reports/**']
  }),
  {
    rules: {
      // `void promise` marks a promise deliberately not awaited (its errors are handled where it is made).
      'no-void': ['error', { allowAsStatement: true }],
      // TypeScript reports real redeclarations; a value and a type of one name (ErrorCode) is deliberate.
      '@typescript-eslint/no-redeclare': 'off'
    }
  },
  {
    // Declarations of untyped modules: a class may be declared for its type alone.
    files: ['typings/**/*.d.ts'],
    rules: { '@typescript-eslint/no-unused-vars': 'off' }
  }
]
