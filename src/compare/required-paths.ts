import picomatch from 'picomatch'
import type { FileIndex } from '../image/file-index.ts'
import { listDirectory, resolvePath } from '../image/resolve-path.ts'
import { pathDirectories } from './env-check.ts'
import type { IndexedImage } from './indexed-image.ts'
import { absoluteIn, isExecutable, lookupProgram, pathOf } from './lookup-program.ts'

/** A file of upstream that rebuilt must keep, under every name upstream's directories give it. */
export interface RequiredPath {
  /**
   * Paths that name it through directories resolving to the same one (`/usr/bin/ls` and `/bin/ls`
   * when `/bin -> usr/bin`), in the order they were found (PATH order first).
   */
  aliases: string[]
  /** Why it is required: `an executable in PATH`, `the ENTRYPOINT program`, `the CMD program`, `matches <glob>`. */
  reasons: string[]
}

function joinPath(dir: string, name: string): string {
  return dir === '/' ? `/${name}` : `${dir}/${name}`
}

/** Upstream's paths matching one glob; the glob's literal base is resolved inside the image, so `/bin/*` lists /usr/bin under merged /usr. */
function globMatches(index: FileIndex, glob: string): string[] {
  const absolute = glob.startsWith('/') ? glob : `/${glob}`
  const scan = picomatch.scan(absolute)
  if (!scan.isGlob) {
    const found = resolvePath(index, absolute, { followFinal: false })
    return found.problem === undefined ? [absolute.replace(/(.)\/+$/, '$1')] : []
  }
  const base = scan.base === '' ? '/' : scan.base
  const dir = resolvePath(index, base)
  if (dir.problem !== undefined) return []
  const prefix = dir.path === '/' ? '/' : `${dir.path}/`
  const match = picomatch(scan.glob, { dot: true, windows: false })
  const paths: string[] = []
  for (const path of index.entries.keys()) {
    if (!path.startsWith(prefix)) continue
    const relative = path.slice(prefix.length)
    if (match(relative)) paths.push(joinPath(base, relative))
  }
  return paths.sort()
}

/**
 * What rebuilt must keep of upstream: every executable in a directory of upstream's PATH (regular
 * files or symlinks to one, any x bit), the programs upstream's ENTRYPOINT and CMD start (their
 * first word, looked up as the engine does; for shell form that is the shell), and every upstream
 * path matching `globs`. Paths reaching one file through aliased directories are grouped.
 *
 * @example
 * requiredPaths(upstream, ['/etc/ssl/certs/**'])
 * // → [{ aliases: ['/usr/bin/bash', '/bin/bash'], reasons: ['an executable in PATH', 'the CMD program'] }, …]
 */
export function requiredPaths(image: IndexedImage, globs: readonly string[] = []): RequiredPath[] {
  const { index, snapshot } = image
  const workingDir = snapshot.config.WorkingDir || '/'
  const pathEnv = pathOf(snapshot.config)
  const groups = new Map<string, RequiredPath>()
  const add = (alias: string, reason: string, key?: string) => {
    // Same file under another directory name: the parent resolved, the name kept.
    const canonical = key ?? resolvePath(index, alias, { followFinal: false }).path
    const group = groups.get(canonical) ?? { aliases: [], reasons: [] }
    groups.set(canonical, group)
    if (!group.aliases.includes(alias)) group.aliases.push(alias)
    if (!group.reasons.includes(reason)) group.reasons.push(reason)
  }
  for (const dir of pathDirectories(pathEnv)) {
    const absolute = absoluteIn(workingDir, dir)
    const listing = listDirectory(index, absolute)
    for (const name of listing?.names ?? []) {
      const alias = joinPath(absolute, name)
      if (isExecutable(resolvePath(index, alias)))
        add(alias, 'an executable in PATH', joinPath(listing?.path ?? '/', name))
    }
  }
  const programs = [
    ['ENTRYPOINT', snapshot.config.Entrypoint?.[0]],
    ['CMD', snapshot.config.Cmd?.[0]],
  ] as const
  for (const [instruction, name] of programs) {
    if (name === undefined) continue
    // A first word upstream itself cannot run (CMD arguments to an ENTRYPOINT) sets no requirement.
    const found = lookupProgram(index, name, pathEnv, workingDir)
    if (found.problem === undefined && found.path !== undefined) add(found.path, `the ${instruction} program`)
  }
  for (const glob of globs) {
    for (const path of globMatches(index, glob)) add(path, `matches ${glob}`)
  }
  return [...groups.values()]
}
