/**
 * What an image's root filesystem holds, read from its layers as a stream (nothing is extracted):
 * the final view after every layer's whiteouts, plus the content of the few small files the
 * checks read (/etc/passwd, package databases, …). `readFileIndex` in ./layers/ builds it.
 */

export type FileType = 'file' | 'dir' | 'symlink' | 'hardlink' | 'char' | 'block' | 'fifo'

export interface FileEntry {
  /** Absolute, normalised path inside the image: `/usr/bin/env` (no `.`/`..`, no trailing slash). */
  path: string
  type: FileType
  /** Permission bits including setuid (0o4000), setgid (0o2000) and sticky (0o1000). */
  mode: number
  uid: number
  gid: number
  /** Bytes of content for regular files (the logical size for sparse files); 0 otherwise. */
  size: number
  /** Symlink target as stored (relative or absolute), or the normalised path a hard link points to. */
  linkTarget?: string
  /** `sha256:<hex>` of the content, for the paths the caller asked to hash. */
  sha256?: string
  /** Index of the layer (0 = base) that last wrote this path. */
  layer: number
}

/** Something odd or hostile in a layer, kept so checks and reports can show it instead of failing silently. */
export interface LayerProblem {
  layer: number
  /** The path as the tar stored it. */
  path: string
  kind:
    | 'path-escape' // `../` or an absolute path that would leave the root; normalised inside it
    | 'whiteout-missing' // a whiteout of a path no lower layer has
    | 'hardlink-missing' // a hard link to a path that does not exist
    | 'unsupported-entry' // a tar entry type imgtest does not index
  message: string
}

export interface FileIndex {
  /** The image's layer diff ids in order: the index is a function of these (and the capture spec). */
  diffIds: string[]
  entries: Map<string, FileEntry>
  /** Content of captured files by path (see CaptureSpec), after whiteouts. */
  contents: Map<string, Buffer>
  problems: LayerProblem[]
}

/** Which files to keep the content of while streaming, and which to hash. */
export interface CaptureSpec {
  /** Globs of absolute paths (picomatch, `dot: true`), e.g. `/var/lib/dpkg/status.d/*`. */
  content: readonly string[]
  /** Files bigger than this are not captured (a problem is not recorded: the checks say what they miss). */
  maxContentBytes: number
  /** Globs of paths whose sha256 to compute. */
  hash?: readonly string[]
}
