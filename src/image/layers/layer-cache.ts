import { createHash, randomBytes } from 'node:crypto'
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { homedir } from 'node:os'
import { isAbsolute, join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { gunzip, gzip } from 'node:zlib'
import { decodeLayerIndex, encodeLayerIndex } from './layer-codec.ts'
import type { LayerIndex } from './layer-index.ts'

const gzipAsync = promisify(gzip)
const gunzipAsync = promisify(gunzip)

/** The versioned folder of layer indexes: a new format gets a new folder, old ones are just not read. */
export const LAYER_CACHE_LAYOUT = 'layers-v1'

/**
 * Where imgtest caches layer indexes: `IMGTEST_CACHE_DIR`, else `$XDG_CACHE_HOME/imgtest`, else
 * `~/.cache/imgtest`.
 *
 * @example
 * defaultCacheDir({ XDG_CACHE_HOME: '/var/cache/ci' }) // '/var/cache/ci/imgtest'
 */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.IMGTEST_CACHE_DIR) return resolve(env.IMGTEST_CACHE_DIR)
  const xdg = env.XDG_CACHE_HOME
  return join(xdg && isAbsolute(xdg) ? xdg : join(homedir(), '.cache'), 'imgtest')
}

let warned = false

/**
 * Per-layer indexes on disk, keyed by diff id and capture spec. Files are named by a hash (never by
 * anything a layer or config says), written to a temp file and renamed, so readers never see half a
 * file and nothing lands outside the folder. A file that cannot be read back is a miss.
 *
 * @example
 * const cache = new LayerCache(defaultCacheDir())
 * const index = (await cache.get(diffId, capture.key)) ?? (await readIt())
 */
export class LayerCache {
  readonly dir: string

  constructor(root: string) {
    this.dir = join(root, LAYER_CACHE_LAYOUT)
  }

  /** The file holding a layer's index for a capture spec. */
  file(diffId: string, captureKey: string): string {
    const name = createHash('sha256').update(`${diffId}\n${captureKey}`).digest('hex')
    return join(this.dir, `${name}.json.gz`)
  }

  async get(diffId: string, captureKey: string): Promise<LayerIndex | undefined> {
    let bytes: Buffer
    try {
      bytes = await readFile(this.file(diffId, captureKey))
    } catch {
      return undefined
    }
    try {
      return decodeLayerIndex(JSON.parse((await gunzipAsync(bytes)).toString('utf8')), diffId, captureKey)
    } catch {
      return undefined // corrupt or from another writer: read the layer again and rewrite it
    }
  }

  /** Stores an index; a cache that cannot be written only costs the next run time, so it warns once. */
  async put(index: LayerIndex, captureKey: string): Promise<void> {
    const file = this.file(index.diffId, captureKey)
    const temp = join(this.dir, `.${randomBytes(8).toString('hex')}.tmp`)
    try {
      await mkdir(this.dir, { recursive: true })
      const json = JSON.stringify(encodeLayerIndex(index, captureKey))
      await writeFile(temp, await gzipAsync(json, { level: 1 }))
      await rename(temp, file)
    } catch (error) {
      await rm(temp, { force: true }).catch(() => {})
      if (!warned) {
        warned = true
        process.emitWarning(
          `imgtest: cannot write the layer cache in ${this.dir} (${(error as Error).message}); set IMGTEST_CACHE_DIR to a writable folder`,
        )
      }
    }
  }
}
