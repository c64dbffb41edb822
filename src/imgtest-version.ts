import { readFileSync } from 'node:fs'

let cached: string | undefined

/**
 * imgtest's own version (for --version and the tool entry of SBOMs): the first package.json up
 * the tree named imgtest (src/ in development, dist/src/ once built).
 *
 * @example
 * imgtestVersion() // '0.1.0'
 */
export function imgtestVersion(): string {
  if (cached !== undefined) return cached
  cached = 'unknown'
  for (const up of ['../package.json', '../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(up, import.meta.url), 'utf8')) as {
        name?: string
        version?: string
      }
      if (pkg.name === 'imgtest' && typeof pkg.version === 'string') {
        cached = pkg.version
        break
      }
    } catch {}
  }
  return cached
}
