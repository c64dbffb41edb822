import type { FileIndex } from '../../src/image/file-index.ts'
import { loadFileIndex } from '../../src/image/layers/load-file-index.ts'
import { resolvePath } from '../../src/image/resolve-path.ts'
import type { ImageSnapshot } from '../../src/image/snapshot.ts'

/** A file's text, or why there is none. */
export type FileText = { text: string } | { why: string }

// Capture specs are picomatch globs; a path is matched literally.
const escapeGlob = (path: string): string => path.replace(/[*?[\]{}()!+@\\]/g, '\\$&')

/**
 * The text of each path (symlinks followed inside the image), read from the layers in one pass
 * with no container; a missing, non-regular or too big file gets the reason instead.
 *
 * @example
 * const texts = await readFileTexts(snapshot, index, ['/etc/os-release'], 1 << 20)
 */
export async function readFileTexts(
  snapshot: ImageSnapshot,
  index: FileIndex,
  paths: readonly string[],
  maxContentBytes: number,
): Promise<Map<string, FileText>> {
  const out = new Map<string, FileText>()
  const wanted = new Map<string, string>()
  for (const path of paths) {
    const target = resolvePath(index, path)
    const entry = target.entry
    if (target.problem !== undefined)
      out.set(path, { why: `expected to exist, but it does not (${target.problem} at ${target.at})` })
    else if (entry?.type !== 'file')
      out.set(path, { why: `expected a regular file, got a ${entry?.type ?? 'dir'}` })
    else if (entry.size > maxContentBytes)
      out.set(path, { why: `${entry.size} bytes, more than maxContentBytes ${maxContentBytes}` })
    else wanted.set(path, entry.path)
  }
  if (wanted.size === 0) return out
  const capture = [...new Set(wanted.values())].map(escapeGlob)
  const read = await loadFileIndex(snapshot, { content: capture, maxContentBytes })
  for (const [path, resolved] of wanted) {
    const bytes = read.contents.get(resolved)
    out.set(
      path,
      bytes === undefined
        ? { why: 'its content could not be read from the layers' }
        : { text: bytes.toString('utf8') },
    )
  }
  return out
}
