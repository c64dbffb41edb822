import { defineConfig } from 'vitest/config'

// The project's own tests: logic beside the code, end-to-end runs under test/.
export default defineConfig({
  test: {
    include: [
      'src/**/*.test.ts',
      'matchers/**/*.test.ts',
      'suites/**/*.test.ts',
      'test/**/*.test.ts',
      // fixtures/projects/ holds parity tests that only `imgtest` runs.
      'fixtures/*.test.ts',
      'fixtures/builder/**/*.test.ts',
    ],
    globalSetup: ['test/setup/global.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
})
