import type { FileEntry, FileIndex } from '../file-index.ts'

/** An entry by hand: only the path is needed; a regular file 0644 root:root by default. */
export type EntrySpec = Partial<FileEntry> & { path: string }

export const file = (path: string, mode = 0o644, more: Partial<FileEntry> = {}): EntrySpec => ({
  path,
  type: 'file',
  mode,
  ...more,
})
export const exe = (path: string, more: Partial<FileEntry> = {}): EntrySpec => file(path, 0o755, more)
export const dir = (path: string, mode = 0o755, more: Partial<FileEntry> = {}): EntrySpec => ({
  path,
  type: 'dir',
  mode,
  ...more,
})
export const symlink = (path: string, target: string): EntrySpec => ({
  path,
  type: 'symlink',
  mode: 0o777,
  linkTarget: target,
})
export const hardlink = (path: string, target: string, mode = 0o755): EntrySpec => ({
  path,
  type: 'hardlink',
  mode,
  linkTarget: target,
})

/**
 * A FileIndex built by hand for tests. Parent directories are added (0755 root) unless
 * `parents: false`, as layer tars list them; `contents` adds captured files (and their entries).
 *
 * @example
 * fileIndexOf([exe('/usr/bin/ls'), symlink('/bin', 'usr/bin')], { contents: { '/etc/passwd': 'root:x:0:0::/root:/bin/sh\n' } })
 */
export function fileIndexOf(
  specs: readonly EntrySpec[],
  options: { contents?: Record<string, string>; parents?: boolean } = {},
): FileIndex {
  const entries = new Map<string, FileEntry>()
  const contents = new Map<string, Buffer>()
  const put = (spec: EntrySpec) => {
    const type = spec.type ?? 'file'
    entries.set(spec.path, {
      type,
      mode: spec.mode ?? (type === 'dir' ? 0o755 : 0o644),
      uid: 0,
      gid: 0,
      size: 0,
      layer: 0,
      ...spec,
    })
  }
  for (const [path, text] of Object.entries(options.contents ?? {})) {
    contents.set(path, Buffer.from(text))
    put({ path, size: Buffer.byteLength(text) })
  }
  for (const spec of specs) put(spec)
  if (options.parents !== false) {
    for (const path of [...entries.keys()]) {
      for (let slash = path.lastIndexOf('/'); slash > 0; slash = path.lastIndexOf('/', slash - 1)) {
        const parent = path.slice(0, slash)
        if (!entries.has(parent)) put(dir(parent))
      }
    }
    if (!entries.has('/')) put(dir('/'))
  }
  return { diffIds: ['sha256:test'], entries, contents, problems: [] }
}
