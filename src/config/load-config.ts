import { existsSync } from 'node:fs'
import { join, relative } from 'node:path'
import { pathToFileURL } from 'node:url'
import { assertSchema } from '../compare/validate-policy.ts'
import { ImgtestError } from '../errors.ts'
import { configSchema } from './config-schema.ts'
import type { ImgtestConfig } from './imgtest-config.ts'

export const CONFIG_FILES = [
  'imgtest.config.ts',
  'imgtest.config.mts',
  'imgtest.config.js',
  'imgtest.config.mjs',
]

/**
 * The `imgtest.config.*` of a project root, validated; `{}` when there is none. TypeScript configs
 * load through Node's own type stripping (Node 22.18+).
 *
 * @example
 * const { policy } = await loadConfig(process.cwd())
 */
export async function loadConfig(root: string): Promise<ImgtestConfig> {
  const file = CONFIG_FILES.map((name) => join(root, name)).find((path) => existsSync(path))
  if (file === undefined) return {}
  const where = relative(process.cwd(), file) || file
  let loaded: unknown
  try {
    loaded = ((await import(pathToFileURL(file).href)) as { default?: unknown }).default
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message.split('\n')[0] : String(cause)
    throw new ImgtestError('IMGTEST_BAD_CONFIG', `cannot load ${where}: ${reason}`, { cause })
  }
  if (loaded === undefined) {
    throw new ImgtestError(
      'IMGTEST_BAD_CONFIG',
      `${where} has no default export; write export default defineConfig({ … })`,
    )
  }
  assertSchema(configSchema, loaded, where, 'IMGTEST_BAD_CONFIG')
  return loaded as ImgtestConfig
}
