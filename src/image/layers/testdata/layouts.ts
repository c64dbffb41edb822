import { createHash } from 'node:crypto'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync, zstdCompressSync } from 'node:zlib'
import { execa } from 'execa'
import tar, { type Header } from 'tar-stream'
import { hostPlatform } from '../../select-platform.ts'

/** One entry of a hand-made layer; anything tar-stream can write, including names no builder would. */
export interface CraftEntry {
  name: string
  type?: Header['type']
  content?: string | Buffer
  linkname?: string
  mode?: number
  uid?: number
  gid?: number
  /** pax records to add (tar-stream writes them as an `x` header before the entry). */
  pax?: Record<string, string>
}

const sha256 = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex')

/** A temp directory under the OS temp dir, removed by the returned function. */
export async function layersTempDir(): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'imgtest-layers-'))
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) }
}

/**
 * Writes a layer tar in memory from entries, as tar-stream packs them.
 *
 * @example
 * const layer = await packLayer([{ name: 'etc/', type: 'directory' }, { name: 'etc/motd', content: 'hi' }])
 */
export async function packLayer(entries: CraftEntry[]): Promise<Buffer> {
  const pack = tar.pack()
  const chunks: Buffer[] = []
  const done = (async () => {
    for await (const chunk of pack) chunks.push(chunk as Buffer)
  })()
  for (const entry of entries) {
    const type = entry.type ?? (entry.linkname === undefined ? 'file' : 'symlink')
    const headers = {
      name: entry.name,
      type,
      mode: entry.mode ?? (type === 'directory' ? 0o755 : 0o644),
      uid: entry.uid ?? 0,
      gid: entry.gid ?? 0,
      mtime: new Date(0),
      ...(entry.linkname === undefined ? {} : { linkname: entry.linkname }),
      ...(entry.pax ? { pax: entry.pax } : {}),
    } as Header
    if (type === 'file') pack.entry(headers, entry.content ?? '')
    else pack.entry(headers)
  }
  pack.finalize()
  await done
  return Buffer.concat(chunks)
}

export type BlobCompression = 'gzip' | 'zstd' | 'none'

const MEDIA_TYPES: Record<BlobCompression, string> = {
  none: 'application/vnd.oci.image.layer.v1.tar',
  gzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  zstd: 'application/vnd.oci.image.layer.v1.tar+zstd',
}

function compress(layer: Buffer, compression: BlobCompression): Buffer {
  if (compression === 'gzip') return gzipSync(layer)
  if (compression === 'zstd') return zstdCompressSync(layer)
  return layer
}

export interface LayoutOptions {
  /** One per layer, or one for all; default gzip. */
  compression?: BlobCompression | BlobCompression[]
  /** Diff ids to write into the config instead of the real ones (a lying config). */
  diffIds?: string[]
}

/** An image config for hand-made layers, on the host's platform so every source picks it. */
function imageConfig(diffIds: string[]): string {
  const platform = hostPlatform()
  return JSON.stringify({
    architecture: platform.architecture,
    os: platform.os,
    ...(platform.variant ? { variant: platform.variant } : {}),
    config: { Cmd: ['/bin/sh'] },
    rootfs: { type: 'layers', diff_ids: diffIds },
    history: diffIds.map(() => ({ created_by: 'imgtest hand-made layer' })),
  })
}

/**
 * Writes an OCI image layout directory holding one image made of the given layer tars; returns its
 * `oci:` reference.
 *
 * @example
 * const ref = await writeOciLayout(join(dir, 'layout'), [await packLayer(entries)])
 */
export async function writeOciLayout(
  dir: string,
  layers: Buffer[],
  options: LayoutOptions = {},
): Promise<string> {
  const blobs = join(dir, 'blobs', 'sha256')
  await mkdir(blobs, { recursive: true })
  const put = async (bytes: Buffer | string) => {
    const digest = sha256(bytes)
    await writeFile(join(blobs, digest), bytes)
    return { digest: `sha256:${digest}`, size: Buffer.byteLength(bytes) }
  }
  const descriptors = []
  for (const [position, layer] of layers.entries()) {
    const compression = Array.isArray(options.compression)
      ? (options.compression[position] ?? 'gzip')
      : (options.compression ?? 'gzip')
    const blob = compress(layer, compression)
    const descriptor = await put(blob)
    descriptors.push({ mediaType: MEDIA_TYPES[compression], ...descriptor })
  }
  const diffIds = options.diffIds ?? layers.map((layer) => `sha256:${sha256(layer)}`)
  const config = await put(imageConfig(diffIds))
  const manifest = JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config },
    layers: descriptors,
  })
  const stored = await put(manifest)
  await writeFile(join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }))
  await writeFile(
    join(dir, 'index.json'),
    JSON.stringify({
      schemaVersion: 2,
      manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', ...stored }],
    }),
  )
  return `oci:${dir}`
}

/**
 * Writes a legacy `docker save` archive (Docker ≤ 24 layout: `<id>/layer.tar`, `<config>.json`,
 * manifest.json) of one image made of the given layer tars; returns its `docker-archive:` reference.
 *
 * @example
 * const ref = await writeLegacyArchive(join(dir, 'image.tar'), [layer])
 */
export async function writeLegacyArchive(
  file: string,
  layers: Buffer[],
  options: Pick<LayoutOptions, 'diffIds'> = {},
): Promise<string> {
  const pack = tar.pack()
  const chunks: Buffer[] = []
  const done = (async () => {
    for await (const chunk of pack) chunks.push(chunk as Buffer)
  })()
  const diffIds = options.diffIds ?? layers.map((layer) => `sha256:${sha256(layer)}`)
  const config = imageConfig(diffIds)
  const configName = `${sha256(config)}.json`
  const names = layers.map((layer, position) => `${sha256(`${position}${sha256(layer)}`)}/layer.tar`)
  // As docker save does: layers first, then the config, manifest.json last.
  for (const [position, layer] of layers.entries()) pack.entry({ name: names[position] as string }, layer)
  pack.entry({ name: configName }, config)
  pack.entry(
    { name: 'manifest.json' },
    JSON.stringify([{ Config: configName, RepoTags: null, Layers: names }]),
  )
  pack.finalize()
  await done
  await writeFile(file, Buffer.concat(chunks))
  return `docker-archive:${file}`
}

/**
 * Tars an OCI layout directory into an `oci-archive:` file.
 *
 * @example
 * const ref = await writeOciArchive(layoutDir, join(dir, 'image-oci.tar'))
 */
export async function writeOciArchive(layoutDir: string, file: string): Promise<string> {
  await execa('tar', ['-C', layoutDir, '-cf', file, '.'])
  return `oci-archive:${file}`
}

/**
 * Rewrites fields of the header of entry `name` in a tar made by packLayer, fixing the checksum:
 * for entry types no writer offers, or a size the data does not back up.
 *
 * @example
 * patchHeader(layer, 'volume', { typeflag: 'V' })
 */
export function patchHeader(tar: Buffer, name: string, patch: { typeflag?: string; size?: number }): Buffer {
  for (let offset = 0; offset + 512 <= tar.length; ) {
    const header = tar.subarray(offset, offset + 512)
    const stored = header.toString('utf8', 0, 100).replace(/\0.*$/s, '')
    const size = Number.parseInt(header.toString('latin1', 124, 136).replace(/\0.*$/s, '').trim() || '0', 8)
    if (stored === name) {
      if (patch.typeflag !== undefined) header.write(patch.typeflag, 156, 'latin1')
      if (patch.size !== undefined)
        header.write(`${patch.size.toString(8).padStart(11, '0')}\0`, 124, 'latin1')
      header.write('        ', 148, 'latin1')
      let sum = 0
      for (const byte of header) sum += byte
      header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1')
      return tar
    }
    offset += 512 + Math.ceil(size / 512) * 512
  }
  throw new Error(`no entry ${name} in the tar`)
}
