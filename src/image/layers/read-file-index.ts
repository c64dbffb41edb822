import { DEFAULT_CAPTURE } from '../capture.ts'
import type { CaptureSpec, FileIndex } from '../file-index.ts'
import type { ImageSnapshot } from '../snapshot.ts'
import { compileCapture } from './capture-matcher.ts'
import { defaultCacheDir, LayerCache } from './layer-cache.ts'
import type { LayerIndex } from './layer-index.ts'
import { mergeLayers } from './merge-layers.ts'
import { readLayers } from './read-layers.ts'

export interface ReadFileIndexOptions {
  /** Where layer indexes are cached; default `IMGTEST_CACHE_DIR`, else `$XDG_CACHE_HOME/imgtest` or `~/.cache/imgtest`. */
  cacheDir?: string
}

/**
 * The files of an image, read from its layers as a stream from the source its snapshot came from
 * (engine, docker-archive, OCI layout or archive, registry), whiteouts applied. Each layer's index is
 * cached on disk by diff id and capture spec, so a second read of the same layers reads none of them.
 * Nothing is extracted; memory holds the index plus the captured files.
 *
 * @example
 * const index = await readFileIndex(await loadSnapshot('debian:12'))
 * index.entries.get('/usr/bin/env') // { type: 'file', mode: 0o755, uid: 0, … }
 * index.contents.get('/etc/passwd')?.toString()
 */
export async function readFileIndex(
  snapshot: ImageSnapshot,
  capture: CaptureSpec = DEFAULT_CAPTURE,
  options: ReadFileIndexOptions = {},
): Promise<FileIndex> {
  const matcher = compileCapture(capture)
  const cache = new LayerCache(options.cacheDir ?? defaultCacheDir())
  const diffIds = snapshot.layers.map((layer) => layer.diffId)
  const indexes = new Map<string, LayerIndex>()
  for (const diffId of new Set(diffIds)) {
    const cached = await cache.get(diffId, matcher.key)
    if (cached) indexes.set(diffId, cached)
  }
  const wanted = [...new Set(diffIds)].filter((diffId) => !indexes.has(diffId))
  if (wanted.length > 0) {
    await readLayers({
      snapshot,
      wanted,
      capture: matcher,
      async onIndexed(index) {
        if (wanted.includes(index.diffId)) indexes.set(index.diffId, index)
        await cache.put(index, matcher.key)
      },
    })
  }
  return mergeLayers(
    diffIds.map((diffId) => indexes.get(diffId) as LayerIndex),
    matcher,
  )
}
