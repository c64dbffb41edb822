import type { FileType, LayerProblem } from '../file-index.ts'
import type { LayerEntry, LayerIndex, LayerIssue } from './layer-index.ts'

/** Format version inside each cache file; bump with LAYER_CACHE_LAYOUT when the shape changes. */
const VERSION = 1

// Entries as tuples keep a 100k-file layer's cache file small: path, type, mode, uid, gid, size,
// then the optional linkTarget, sha256 and stored name (null when absent, trailing nulls dropped).
type EntryTuple = [string, FileType, number, number, number, number, ...(string | null)[]]

export interface EncodedLayerIndex {
  version: number
  diffId: string
  capture: string
  entries: EntryTuple[]
  whiteouts: [string, string][]
  opaqueDirs: string[]
  contents: [string, string][]
  problems: [LayerProblem['kind'], string, string][]
}

/**
 * The JSON form of a layer index in the cache.
 *
 * @example
 * JSON.stringify(encodeLayerIndex(index, capture.key))
 */
export function encodeLayerIndex(index: LayerIndex, captureKey: string): EncodedLayerIndex {
  return {
    version: VERSION,
    diffId: index.diffId,
    capture: captureKey,
    entries: index.entries.map((entry) => {
      const tuple: EntryTuple = [entry.path, entry.type, entry.mode, entry.uid, entry.gid, entry.size]
      const optional = [entry.linkTarget ?? null, entry.sha256 ?? null, entry.stored ?? null]
      while (optional.length > 0 && optional.at(-1) === null) optional.pop()
      tuple.push(...optional)
      return tuple
    }),
    whiteouts: index.whiteouts.map((item) => [item.path, item.stored]),
    opaqueDirs: index.opaqueDirs,
    contents: [...index.contents].map(([path, bytes]) => [path, bytes.toString('base64')]),
    problems: index.problems.map((problem) => [problem.kind, problem.path, problem.message]),
  }
}

const TYPES = new Set<string>(['file', 'dir', 'symlink', 'hardlink', 'char', 'block', 'fifo'])
const KINDS = new Set<string>(['path-escape', 'whiteout-missing', 'hardlink-missing', 'unsupported-entry'])

class CorruptCache extends Error {}

function check(condition: boolean, what: string): asserts condition {
  if (!condition) throw new CorruptCache(what)
}

const isString = (value: unknown): value is string => typeof value === 'string'
const isCount = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0
const isOptional = (value: unknown) => value === null || value === undefined || isString(value)

function list(value: unknown, what: string): unknown[] {
  check(Array.isArray(value), what)
  return value
}

/**
 * Reads a cache file's JSON back, checking every field: anything unexpected (another version,
 * another layer or capture spec, a damaged file) throws, and the caller reads the layer again.
 *
 * @example
 * const index = decodeLayerIndex(JSON.parse(text), diffId, capture.key)
 */
export function decodeLayerIndex(value: unknown, diffId: string, captureKey: string): LayerIndex {
  const data = value as Partial<EncodedLayerIndex> | null
  check(typeof data === 'object' && data !== null, 'not an object')
  check(data.version === VERSION && data.diffId === diffId && data.capture === captureKey, 'another key')
  const entries = list(data.entries, 'entries').map((item): LayerEntry => {
    const tuple = list(item, 'entry')
    const [path, type, mode, uid, gid, size, linkTarget, sha256, stored] = tuple
    check(isString(path) && path.startsWith('/') && isString(type) && TYPES.has(type), 'entry path or type')
    check(isCount(mode) && isCount(uid) && isCount(gid) && isCount(size), 'entry numbers')
    check(isOptional(linkTarget) && isOptional(sha256) && isOptional(stored), 'entry strings')
    const entry: LayerEntry = { path, type: type as FileType, mode, uid, gid, size }
    if (isString(linkTarget)) entry.linkTarget = linkTarget
    if (isString(sha256)) entry.sha256 = sha256
    if (isString(stored)) entry.stored = stored
    return entry
  })
  const whiteouts = list(data.whiteouts, 'whiteouts').map((item) => {
    const [path, stored] = list(item, 'whiteout')
    check(isString(path) && isString(stored), 'whiteout')
    return { path, stored }
  })
  const opaqueDirs = list(data.opaqueDirs, 'opaqueDirs')
  check(opaqueDirs.every(isString), 'opaqueDirs')
  const contents = new Map<string, Buffer>()
  for (const item of list(data.contents, 'contents')) {
    const [path, base64] = list(item, 'content')
    check(isString(path) && isString(base64), 'content')
    contents.set(path, Buffer.from(base64, 'base64'))
  }
  const problems = list(data.problems, 'problems').map((item): LayerIssue => {
    const [kind, path, message] = list(item, 'problem')
    check(isString(kind) && KINDS.has(kind) && isString(path) && isString(message), 'problem')
    return { kind: kind as LayerProblem['kind'], path, message }
  })
  return { diffId, entries, whiteouts, opaqueDirs, contents, problems }
}
