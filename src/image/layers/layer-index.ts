import { createHash, type Hash } from 'node:crypto'
import type { FileEntry, FileType, LayerProblem } from '../file-index.ts'
import type { CaptureMatcher } from './capture-matcher.ts'
import { normalizeLayerPath, whiteoutOf } from './layer-path.ts'
import type { TarEntryHeader, TarEvent } from './tar-parser.ts'

/** One entry of one layer; the layer's position in an image is set when layers are merged. */
export type LayerEntry = Omit<FileEntry, 'layer'> & {
  /** Hard links only: the name as stored, for the problem a missing target gives. */
  stored?: string
}

/** A LayerProblem before the layer's position is known. */
export type LayerIssue = Omit<LayerProblem, 'layer'>

/** What one layer tar holds, independent of the image it is part of (so it can be cached by diff id). */
export interface LayerIndex {
  diffId: string
  /** In tar order; a later entry for the same path replaces an earlier one. */
  entries: LayerEntry[]
  /** Paths this layer removes from the layers below it, with the whiteout's name as stored. */
  whiteouts: { path: string; stored: string }[]
  /** Directories whose lower-layer children this layer hides. */
  opaqueDirs: string[]
  /** Captured content by path (the last entry of a path wins). */
  contents: Map<string, Buffer>
  problems: LayerIssue[]
}

const TYPES: Record<string, FileType> = {
  '0': 'file',
  '7': 'file',
  S: 'file',
  '1': 'hardlink',
  '2': 'symlink',
  '3': 'char',
  '4': 'block',
  '5': 'dir',
  D: 'dir',
  '6': 'fifo',
}

// A hostile layer can hold millions of odd entries: list this many per kind, then count the rest.
const MAX_PROBLEMS_PER_KIND = 100

/**
 * Turns the events of one layer's TarParser into a LayerIndex: normalised paths, whiteouts and
 * opaque directories, captured content and hashes, and the problems of odd or hostile entries.
 * Only captured files' bytes are kept.
 *
 * @example
 * const indexer = new LayerIndexer(compileCapture(DEFAULT_CAPTURE))
 * for (const event of parser.feed(chunk)) indexer.handle(event)
 * const index = indexer.result('sha256:…')
 */
export class LayerIndexer {
  readonly #capture: CaptureMatcher
  readonly #entries: LayerEntry[] = []
  readonly #whiteouts: { path: string; stored: string }[] = []
  readonly #opaque: string[] = []
  readonly #contents = new Map<string, Buffer>()
  readonly #problems: LayerIssue[] = []
  readonly #counts = new Map<LayerIssue['kind'], number>()
  #entry: LayerEntry | undefined
  #chunks: Buffer[] | undefined
  #hash: Hash | undefined

  constructor(capture: CaptureMatcher) {
    this.#capture = capture
  }

  handle(event: TarEvent): void {
    if (event.kind === 'entry') this.#begin(event.header)
    else if (event.kind === 'data') {
      if (this.#chunks) this.#chunks.push(Buffer.from(event.chunk))
      this.#hash?.update(event.chunk)
    } else this.#end()
  }

  result(diffId: string): LayerIndex {
    for (const [kind, count] of this.#counts) {
      if (count > MAX_PROBLEMS_PER_KIND) {
        const more = count - MAX_PROBLEMS_PER_KIND
        this.#problems.push({ kind, path: '', message: `${more} more ${kind} problems in this layer` })
      }
    }
    return {
      diffId,
      entries: this.#entries,
      whiteouts: this.#whiteouts,
      opaqueDirs: this.#opaque,
      contents: this.#contents,
      problems: this.#problems,
    }
  }

  #problem(issue: LayerIssue): void {
    const count = (this.#counts.get(issue.kind) ?? 0) + 1
    this.#counts.set(issue.kind, count)
    if (count <= MAX_PROBLEMS_PER_KIND) this.#problems.push(issue)
  }

  #begin(header: TarEntryHeader): void {
    this.#entry = undefined
    this.#chunks = undefined
    this.#hash = undefined
    const type = TYPES[header.typeflag]
    const { path, escaped } = normalizeLayerPath(header.name)
    if (escaped) {
      this.#problem({
        kind: 'path-escape',
        path: header.name,
        message: `entry ${JSON.stringify(header.name)} points outside the root; indexed as ${path}`,
      })
    }
    if (type === undefined) {
      this.#problem({
        kind: 'unsupported-entry',
        path: header.name,
        message: `tar entry type ${JSON.stringify(header.typeflag)} is not a file, directory, link or device; skipped`,
      })
      return
    }
    if (path === '/') return // the root itself: always a directory, owned by whoever runs the container
    const whiteout = whiteoutOf(path)
    if (whiteout.kind === 'whiteout') this.#whiteouts.push({ path: whiteout.target, stored: header.name })
    if (whiteout.kind === 'opaque') this.#opaque.push(whiteout.dir)
    if (whiteout.kind !== 'none') return

    const entry: LayerEntry = {
      path,
      type,
      mode: header.mode & 0o7777,
      uid: header.uid,
      gid: header.gid,
      size: type === 'file' ? header.size : 0,
    }
    if (type === 'symlink') entry.linkTarget = header.linkname
    if (type === 'hardlink') {
      const target = normalizeLayerPath(header.linkname)
      entry.linkTarget = target.path
      entry.stored = header.name
      if (target.escaped) {
        this.#problem({
          kind: 'path-escape',
          path: header.name,
          message: `hard link target ${JSON.stringify(header.linkname)} points outside the root; indexed as ${target.path}`,
        })
      }
    }
    this.#entries.push(entry)
    this.#contents.delete(path)
    if (type !== 'file' || header.sparse) return
    this.#entry = entry
    if (this.#capture.content(path) && header.size <= this.#capture.maxContentBytes) this.#chunks = []
    if (this.#capture.hash(path)) this.#hash = createHash('sha256')
  }

  #end(): void {
    const entry = this.#entry
    if (entry && this.#chunks) this.#contents.set(entry.path, Buffer.concat(this.#chunks))
    if (entry && this.#hash) entry.sha256 = `sha256:${this.#hash.digest('hex')}`
    this.#entry = undefined
    this.#chunks = undefined
    this.#hash = undefined
  }
}
