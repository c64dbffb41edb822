import type { FileEntry, FileIndex } from './file-index.ts'

/** Linux gives up after 40 symlinks in one lookup (MAXSYMLINKS, ELOOP); so does imgtest. */
export const MAX_LINKS = 40

/** Where a path lookup inside an image ended. */
export interface ResolvedPath {
  /**
   * The entry the path names: for a hard link its target's entry (so `entry.path` may differ from
   * `path`); a symlink's entry only when `followFinal` is false. Absent on a problem, and for a
   * directory the index holds only through its contents (`implied`).
   */
  entry?: FileEntry
  /** The final path after every symlink. On a problem: the path as far as it could be resolved, then the rest as written. */
  path: string
  problem?: 'loop' | 'missing' | 'not-a-directory'
  /** On a problem, the path where the lookup stopped: the missing component, the non-directory, or the last link followed before the loop guard. */
  at?: string
  /** A directory with no entry of its own: `/` of most layers, or a parent a hand-made tar left out. */
  implied?: true
}

// Directory → child names, built once per index; indexes are not changed once built.
const trees = new WeakMap<FileIndex, Map<string, Set<string>>>()

function treeOf(index: FileIndex): Map<string, Set<string>> {
  let tree = trees.get(index)
  if (tree !== undefined) return tree
  tree = new Map([['/', new Set<string>()]])
  for (const path of index.entries.keys()) {
    let child = path
    while (child !== '/' && child !== '') {
      const slash = child.lastIndexOf('/')
      const parent = slash <= 0 ? '/' : child.slice(0, slash)
      let names = tree.get(parent)
      if (names === undefined) {
        names = new Set()
        tree.set(parent, names)
      }
      const name = child.slice(slash + 1)
      // Seen before means every ancestor was registered then.
      if (names.has(name)) break
      names.add(name)
      child = parent
    }
  }
  trees.set(index, tree)
  return tree
}

function components(path: string): string[] {
  return path.split('/').filter((part) => part !== '')
}

function joined(parts: readonly string[]): string {
  return `/${parts.join('/')}`
}

/** `.` and `..` applied by text, `..` stopping at `/`: for the unresolved rest of a failed lookup. */
function lexical(parts: readonly string[]): string {
  const out: string[] = []
  for (const part of parts) {
    if (part === '..') out.pop()
    else if (part !== '.') out.push(part)
  }
  return joined(out)
}

/**
 * Resolves a path inside an image the way the kernel would inside the container: component by
 * component, following symlinks (absolute targets from the image root, relative ones from the
 * link's directory, `..` stopping at `/`) with Linux's 40-link limit, and hard links to their
 * target entry. Only the index is read, never the host. `followFinal: false` stops at a final
 * symlink, like lstat. Relative paths start at `/`.
 *
 * @example
 * resolvePath(index, '/bin/sh') // /bin -> usr/bin, /usr/bin/sh -> dash
 * // → { path: '/usr/bin/dash', entry: { path: '/usr/bin/dash', type: 'file', mode: 0o755, … } }
 * resolvePath(index, '/bin/sh', { followFinal: false }).entry?.type // 'symlink'
 */
export function resolvePath(
  index: FileIndex,
  path: string,
  options: { followFinal?: boolean } = {},
): ResolvedPath {
  // A trailing slash asks for a directory, and follows a final symlink to get one.
  const mustBeDir = path.length > 1 && path.endsWith('/')
  const followFinal = mustBeDir || (options.followFinal ?? true)
  const tree = treeOf(index)
  const pending = components(path).reverse()
  const done: string[] = []
  let entry: FileEntry | undefined
  let stale = true
  let links = 0
  const stop = (problem: ResolvedPath['problem'], at: string, name?: string): ResolvedPath => ({
    path: lexical([...done, ...(name === undefined ? [] : [name]), ...pending.toReversed()]),
    problem,
    at,
  })
  while (pending.length > 0) {
    const name = pending.pop() as string
    if (name === '.' || name === '..') {
      if (name === '..') done.pop()
      stale = true
      continue
    }
    const current = done.length === 0 ? `/${name}` : `${joined(done)}/${name}`
    const last = pending.length === 0
    let found = index.entries.get(current)
    while (found?.type === 'hardlink') {
      if (++links > MAX_LINKS) return { path: current, problem: 'loop', at: current }
      const target = found.linkTarget
      const next = target ? index.entries.get(target.startsWith('/') ? target : `/${target}`) : undefined
      if (next === undefined) return stop('missing', target ?? current, name)
      found = next
    }
    if (found === undefined) {
      if (!tree.has(current)) return stop('missing', current, name)
      done.push(name)
      entry = undefined
      stale = false
      continue
    }
    if (found.type === 'symlink' && (!last || followFinal)) {
      if (++links > MAX_LINKS) return { path: current, problem: 'loop', at: current }
      const target = found.linkTarget ?? ''
      // An empty target names nothing (ENOENT), as on Linux.
      if (target === '') return stop('missing', current, name)
      if (target.startsWith('/')) done.length = 0
      pending.push(...components(target).reverse())
      stale = true
      continue
    }
    if (!last && found.type !== 'dir') return stop('not-a-directory', current, name)
    done.push(name)
    entry = found
    stale = false
  }
  const final = joined(done)
  // Ended on `.`/`..` or a symlink: what is there now is a directory (or the root) we walked through.
  if (stale) entry = index.entries.get(final)
  const isDir = entry === undefined ? tree.has(final) : entry.type === 'dir'
  if (mustBeDir && !isDir) return { path: final, problem: 'not-a-directory', at: final }
  if (entry === undefined) return { path: final, implied: true }
  return { entry, path: final }
}

/**
 * The names inside a directory of the image (symlinks to it followed), sorted, with the directory's
 * resolved path; undefined when the path is not a directory.
 *
 * @example
 * listDirectory(index, '/bin') // merged /usr → { path: '/usr/bin', names: ['bash', 'cat', …] }
 */
export function listDirectory(index: FileIndex, path: string): { path: string; names: string[] } | undefined {
  const resolved = resolvePath(index, path)
  if (resolved.problem !== undefined) return undefined
  if (resolved.entry !== undefined && resolved.entry.type !== 'dir') return undefined
  const names = [...(treeOf(index).get(resolved.path) ?? [])].sort()
  return { path: resolved.path, names }
}
