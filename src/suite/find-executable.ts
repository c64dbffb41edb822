import { accessSync, constants, statSync } from 'node:fs'
import { delimiter, isAbsolute, join } from 'node:path'

/**
 * The absolute path of a program as a shell would find it on PATH, or undefined: suites that run
 * host tools resolve them once, so a missing one is one clear error rather than a failing case.
 *
 * @example
 * findExecutable('bash') // '/usr/bin/bash'
 */
export function findExecutable(name: string, path: string = process.env.PATH ?? ''): string | undefined {
  for (const dir of path.split(delimiter)) {
    // An empty PATH entry means the current directory, which a test run should not depend on.
    if (dir === '' || !isAbsolute(dir)) continue
    const file = join(dir, name)
    try {
      accessSync(file, constants.X_OK)
      if (statSync(file).isFile()) return file
    } catch {
      // Not here; try the next directory.
    }
  }
  return undefined
}
