import { DEFAULT_CAPTURE } from '../capture.ts'
import type { CaptureSpec, FileIndex } from '../file-index.ts'
import type { ImageSnapshot } from '../snapshot.ts'
import { compileCapture } from './capture-matcher.ts'
import { defaultCacheDir } from './layer-cache.ts'
import { type ReadFileIndexOptions, readFileIndex } from './read-file-index.ts'

// One index per snapshot and capture spec for the whole run: checks that share an image (files,
// users, packages, SBOM) read it once, even when they ask at the same time.
let memo = new WeakMap<ImageSnapshot, Map<string, Promise<FileIndex>>>()

/**
 * `readFileIndex` once per run: the same snapshot (as `loadSnapshot` returns it) and capture spec
 * give the same promise. The index is shared, so treat it as read-only. A failed read is forgotten,
 * so a caller can retry.
 *
 * @example
 * const index = await loadFileIndex(await loadSnapshot('debian:12'))
 */
export function loadFileIndex(
  snapshot: ImageSnapshot,
  capture: CaptureSpec = DEFAULT_CAPTURE,
  options: ReadFileIndexOptions = {},
): Promise<FileIndex> {
  const key = `${options.cacheDir ?? defaultCacheDir()}\n${compileCapture(capture).key}`
  let byKey = memo.get(snapshot)
  if (!byKey) {
    byKey = new Map()
    memo.set(snapshot, byKey)
  }
  let pending = byKey.get(key)
  if (pending === undefined) {
    pending = readFileIndex(snapshot, capture, options)
    byKey.set(key, pending)
    const forget = byKey
    pending.catch(() => forget.delete(key))
  }
  return pending
}

/** Forgets every index read in this run (an image was rebuilt under the same tag). */
export function clearFileIndexCache(): void {
  memo = new WeakMap()
}
