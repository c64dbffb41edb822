import type { FileIndex } from '../image/file-index.ts'
import { resolvePath } from '../image/resolve-path.ts'
import { byCodeUnit } from './_normalize.ts'
import type { IndexedImage } from './indexed-image.ts'
import { isExecutable, lookupProgram, pathOf } from './lookup-program.ts'

// Base name → paths, built once per index and only when a binary went missing.
const byBaseName = new WeakMap<FileIndex, Map<string, string[]>>()

function pathsNamed(index: FileIndex, name: string): string[] {
  let names = byBaseName.get(index)
  if (names === undefined) {
    names = new Map()
    for (const path of index.entries.keys()) {
      const base = path.slice(path.lastIndexOf('/') + 1)
      const list = names.get(base)
      if (list === undefined) names.set(base, [path])
      else list.push(path)
    }
    byBaseName.set(index, names)
  }
  return names.get(name) ?? []
}

/**
 * Where an executable that left `path` went in rebuilt, as a clause for an `fs.missing` message:
 * the file rebuilt's PATH now finds under that name, else any executable of that name elsewhere
 * (which a bare name no longer reaches). Undefined when rebuilt has none.
 *
 * @example
 * movedTo(rebuilt, '/usr/bin/tool')
 * // → { path: '/usr/local/bin/tool', message: ': moved to /usr/local/bin/tool, still found by name through rebuilt\'s PATH' }
 */
export function movedTo(rebuilt: IndexedImage, path: string): { path: string; message: string } | undefined {
  const name = path.slice(path.lastIndexOf('/') + 1)
  const { config } = rebuilt.snapshot
  const found = lookupProgram(rebuilt.index, name, pathOf(config), config.WorkingDir || '/')
  if (found.problem === undefined && found.path !== undefined) {
    return {
      path: found.path,
      message: `: moved to ${found.path}, still found by name through rebuilt's PATH`,
    }
  }
  const elsewhere = pathsNamed(rebuilt.index, name)
    .filter((candidate) => isExecutable(resolvePath(rebuilt.index, candidate)))
    .sort(byCodeUnit)
  const [first] = elsewhere
  if (first === undefined) return undefined
  const more = elsewhere.length > 1 ? ` (and ${elsewhere.length - 1} more)` : ''
  return {
    path: first,
    message: `: moved to ${first}${more}, outside rebuilt's PATH, so \`${name}\` is no longer found by name`,
  }
}
