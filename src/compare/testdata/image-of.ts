import type { FileIndex } from '../../image/file-index.ts'
import type { ImageConfig, ImageSnapshot } from '../../image/snapshot.ts'
import type { EntrySpec } from '../../image/testdata/file-index-of.ts'
import { fileIndexOf } from '../../image/testdata/file-index-of.ts'
import type { IndexedImage } from '../indexed-image.ts'

/** A snapshot with only a config, for checks that read nothing else of it. */
export function snapshotOf(config: ImageConfig = {}, ref = 'example/app:1'): ImageSnapshot {
  return {
    ref,
    source: 'engine',
    digest: `sha256:${'0'.repeat(64)}`,
    platform: { os: 'linux', architecture: 'amd64' },
    config,
    layers: [],
    history: [],
    size: 0,
    sizeBasis: 'uncompressed',
  }
}

/**
 * One side of a pair built by hand: entries and captured contents as in `fileIndexOf`, plus a config.
 *
 * @example
 * imageOf([exe('/usr/bin/ls')], { config: { Env: ['PATH=/usr/bin'] } })
 */
export function imageOf(
  specs: readonly EntrySpec[],
  options: { contents?: Record<string, string>; config?: ImageConfig; parents?: boolean } = {},
): IndexedImage {
  const index: FileIndex = fileIndexOf(specs, options)
  return { snapshot: snapshotOf(options.config), index }
}
