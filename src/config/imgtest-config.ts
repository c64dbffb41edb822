import type { Policy } from '../compare/policy.ts'

/** `imgtest.config.ts` (or `.mts`, `.js`, `.mjs`, `.json`, `.yaml`) at the project root. */
export interface ImgtestConfig {
  /** Expected differences accepted for every pair of the run. */
  policy?: Policy
  /** Test files to run; default `**\/*.parity.test.{ts,mts,js,mjs}`. */
  include?: string[]
  /** Timeout of one test and one hook in ms; default 300000 (image work is slow). */
  testTimeout?: number
}

/**
 * Typed helper for `imgtest.config.ts`.
 *
 * @example
 * export default defineConfig({ policy: { allow: [{ check: 'interface.user', reason: 'rebuilt runs as non-root' }] } })
 */
export function defineConfig(config: ImgtestConfig): ImgtestConfig {
  return config
}
