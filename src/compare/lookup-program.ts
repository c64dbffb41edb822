import type { FileIndex } from '../image/file-index.ts'
import type { ResolvedPath } from '../image/resolve-path.ts'
import { resolvePath } from '../image/resolve-path.ts'
import type { ImageConfig } from '../image/snapshot.ts'
import { pathDirectories } from './env-check.ts'

/** The PATH the engine gives a container whose image sets none. */
export const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'

/** The PATH a container of this image starts with: its last `PATH=` in Env, else the engine's default. */
export function pathOf(config: ImageConfig): string {
  const entry = config.Env?.findLast((item) => item.startsWith('PATH='))
  return entry === undefined ? DEFAULT_PATH : entry.slice('PATH='.length)
}

/** `path` from directory `base` when relative, `./` segments dropped; an empty or `.` PATH entry is the directory itself. */
export function absoluteIn(base: string, path: string): string {
  if (path.startsWith('/')) return path
  const dir = base.startsWith('/') ? base : `/${base}`
  const joined = path === '' ? dir : dir.endsWith('/') ? `${dir}${path}` : `${dir}/${path}`
  return joined.replace(/\/\.(?=\/|$)/g, '').replace(/\/{2,}/g, '/') || '/'
}

/** Runnable: a regular file (a hard link's target counts) with any execute bit. */
export function isExecutable(resolved: ResolvedPath): boolean {
  return resolved.entry?.type === 'file' && (resolved.entry.mode & 0o111) !== 0
}

/** The file a command name runs in an image, or why none does. */
export interface ProgramLookup {
  /** The path the lookup picked, as named (`/usr/bin/sh`, not what its symlink points to). */
  path?: string
  /** That path resolved inside the image. */
  resolved?: ResolvedPath
  /** `not-executable`: a file of that name exists but has no execute bit; `loop`: its symlinks loop. */
  problem?: 'missing' | 'not-executable' | 'not-a-file' | 'loop'
  /** Every path looked at, in order. */
  tried: string[]
}

function verdict(resolved: ResolvedPath): ProgramLookup['problem'] {
  if (resolved.problem === 'loop') return 'loop'
  if (resolved.problem !== undefined) return 'missing'
  if (isExecutable(resolved)) return undefined
  return resolved.entry?.type === 'file' ? 'not-executable' : 'not-a-file'
}

/**
 * The file an image would run for a command name, as the engine's exec does: an absolute name as is,
 * a name with a `/` from the working directory, a bare name from the first PATH directory holding
 * an executable of that name (directories, non-executable files and broken links are skipped).
 * Only the index is read.
 *
 * @example
 * lookupProgram(index, 'bash', '/usr/local/bin:/usr/bin:/bin')
 * // → { path: '/usr/bin/bash', resolved: { path: '/usr/bin/bash', entry: … }, tried: ['/usr/local/bin/bash', '/usr/bin/bash'] }
 */
export function lookupProgram(
  index: FileIndex,
  name: string,
  pathEnv: string = DEFAULT_PATH,
  workingDir = '/',
): ProgramLookup {
  if (name === '') return { problem: 'missing', tried: [] }
  if (name.includes('/')) {
    const path = absoluteIn(workingDir, name)
    const resolved = resolvePath(index, path)
    const problem = verdict(resolved)
    return { path, resolved, ...(problem === undefined ? {} : { problem }), tried: [path] }
  }
  const tried: string[] = []
  let unrunnable: { path: string; resolved: ResolvedPath } | undefined
  for (const dir of pathDirectories(pathEnv)) {
    const path = absoluteIn(absoluteIn(workingDir, dir), name)
    tried.push(path)
    const resolved = resolvePath(index, path)
    if (isExecutable(resolved)) return { path, resolved, tried }
    if (resolved.entry?.type === 'file') unrunnable ??= { path, resolved }
  }
  if (unrunnable !== undefined) return { ...unrunnable, problem: 'not-executable', tried }
  return { problem: 'missing', tried }
}
