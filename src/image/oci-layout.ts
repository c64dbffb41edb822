import { createHash } from 'node:crypto'
import { ImgtestError } from '../errors.ts'
import { type ParsedImageConfig, parseImageConfig } from './image-config.ts'
import type { Descriptor } from './registry-manifest.ts'
import { selectPlatform } from './select-platform.ts'
import type { ImageSnapshot, LayerInfo, Platform, SourceKind } from './snapshot.ts'

/** Read access to the files of an image layout, wherever it lives (a directory, a scanned tar). */
export interface LayoutFiles {
  /** How errors name the layout: the directory or archive path. */
  where: string
  /** The bytes of a small file (JSON), or undefined when the layout has no such file. */
  read(path: string): Promise<Buffer | undefined>
  /** The size of a file, or undefined when the layout has no such file. */
  size(path: string): Promise<number | undefined>
}

export type LayoutManifest =
  | { kind: 'index'; manifests: Descriptor[] }
  | { kind: 'image'; config: Descriptor; layers: Descriptor[] }

/** The image an OCI layout resolves to: its manifest, parsed config and layers with stored sizes. */
export interface ResolvedImage {
  manifestDigest: string
  config: ParsedImageConfig
  layers: LayerInfo[]
}

const REF_NAME = 'org.opencontainers.image.ref.name'
const DIGEST = /^([a-z0-9]+(?:[+._-][a-z0-9]+)*):([a-zA-Z0-9=_-]+)$/
const HASHES = new Set(['sha256', 'sha384', 'sha512'])

export function badArchive(where: string, what: string, hint?: string): ImgtestError {
  return new ImgtestError('IMGTEST_BAD_ARCHIVE', `${where}: ${what}${hint ? `; ${hint}` : ''}`)
}

/** `blobs/<algorithm>/<hex>`; the digest is checked first so a crafted one cannot point outside the layout. */
export function blobPath(digest: string, where: string): string {
  const match = DIGEST.exec(digest)
  if (!match) throw badArchive(where, `"${digest}" is not a valid digest`)
  return `blobs/${match[1]}/${match[2]}`
}

/** True for layer media types whose blobs are gzip or zstd compressed. */
export function isCompressedMediaType(mediaType: string | undefined): boolean {
  return mediaType !== undefined && /gzip|zstd/.test(mediaType)
}

/** A JSON entry of an archive or layout; invalid JSON is a BAD_ARCHIVE naming the entry. */
export function parseArchiveJson(bytes: Buffer, what: string, where: string): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'))
  } catch (error) {
    throw new ImgtestError(
      'IMGTEST_BAD_ARCHIVE',
      `${where}: ${what} is not valid JSON (${(error as Error).message})`,
      { cause: error },
    )
  }
}

function parseJson(bytes: Buffer, what: string, where: string): Record<string, unknown> {
  const value = parseArchiveJson(bytes, what, where)
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw badArchive(where, `${what} is not a JSON object`)
  }
  return value as Record<string, unknown>
}

function descriptors(value: unknown, what: string, where: string): Descriptor[] {
  if (!Array.isArray(value)) throw badArchive(where, `${what} is missing its descriptor list`)
  return value.map((item) => descriptor(item, what, where))
}

function descriptor(value: unknown, what: string, where: string): Descriptor {
  const item = value as Partial<Descriptor> | null
  if (!item || typeof item.digest !== 'string' || !DIGEST.test(item.digest)) {
    throw badArchive(where, `${what} has a descriptor without a valid digest`)
  }
  if (typeof item.size !== 'number' || !Number.isSafeInteger(item.size) || item.size < 0) {
    throw badArchive(where, `${what} has descriptor ${item.digest} without a valid size`)
  }
  return item as Descriptor
}

/**
 * Parses an index (index.json, an OCI index, a Docker manifest list) or an image manifest
 * (OCI or Docker schema 2) found in a layout.
 *
 * @example
 * parseLayoutManifest(bytes, 'manifest sha256:…', 'web.tar').kind // 'image'
 */
export function parseLayoutManifest(bytes: Buffer, what: string, where: string): LayoutManifest {
  const body = parseJson(bytes, what, where)
  if (Array.isArray(body.manifests))
    return { kind: 'index', manifests: descriptors(body.manifests, what, where) }
  if (body.config !== undefined) {
    return {
      kind: 'image',
      config: descriptor(body.config, what, where),
      layers: descriptors(body.layers, what, where),
    }
  }
  if (body.schemaVersion === 1)
    throw badArchive(where, `${what} is a schema 1 manifest`, 'schema 1 is not supported')
  throw badArchive(where, `${what} is neither an image index nor an image manifest`)
}

/** Reads a blob, checks it against its digest and size, and returns its bytes. */
async function readBlob(files: LayoutFiles, item: Descriptor, what: string): Promise<Buffer> {
  const bytes = await files.read(blobPath(item.digest, files.where))
  if (bytes === undefined)
    throw badArchive(files.where, `${what} ${item.digest} is missing`, 'the layout is incomplete')
  const [algorithm, hex] = item.digest.split(':') as [string, string]
  if (HASHES.has(algorithm) && createHash(algorithm).update(bytes).digest('hex') !== hex) {
    throw badArchive(files.where, `${what} ${item.digest} does not match its digest`, 'the blob is corrupt')
  }
  return bytes
}

/** The image manifest of a layout: by tag, else the only image, else the host platform's entry of a list. */
async function pickManifest(
  files: LayoutFiles,
  index: Descriptor[],
  tag: string | undefined,
  platform: Platform,
): Promise<{ item: Descriptor; manifest: Extract<LayoutManifest, { kind: 'image' }> }> {
  const names = [...new Set(index.flatMap((item) => item.annotations?.[REF_NAME] ?? []))]
  let candidates = index
  if (tag !== undefined) {
    candidates = index.filter((item) => item.annotations?.[REF_NAME] === tag)
    if (candidates.length === 0) {
      throw new ImgtestError(
        'IMGTEST_IMAGE_NOT_FOUND',
        `${files.where} has no image tagged "${tag}"; it has ${names.length > 0 ? names.map((name) => `"${name}"`).join(', ') : 'no tagged images'}`,
      )
    }
  } else if (names.length > 1) {
    throw badArchive(
      files.where,
      `it holds ${names.length} images (${names.join(', ')})`,
      `name one after the path, as in ${files.where}:${names[0]}`,
    )
  }
  if (candidates.length === 0) throw badArchive(files.where, 'index.json lists no images')
  // Several untagged entries, or one index: a list of platforms to choose from.
  let item =
    candidates.length === 1
      ? (candidates[0] as Descriptor)
      : selectPlatform(candidates, platform, files.where)
  for (let depth = 0; depth < 4; depth++) {
    const manifest = parseLayoutManifest(
      await readBlob(files, item, 'manifest'),
      `manifest ${item.digest}`,
      files.where,
    )
    if (manifest.kind === 'image') return { item, manifest }
    item = selectPlatform(manifest.manifests, platform, `${files.where} (index ${item.digest})`)
  }
  throw badArchive(files.where, `image indexes nest deeper than 4 levels at ${item.digest}`)
}

/**
 * Resolves the image of an OCI image layout (directory or archive): index.json, the tag's entry
 * (`org.opencontainers.image.ref.name`), image indexes resolved to `platform`, then the image manifest,
 * the config blob and the layers with their stored sizes.
 *
 * @example
 * const image = await resolveOciImage(files, { tag: 'v1', platform: hostPlatform() })
 */
export async function resolveOciImage(
  files: LayoutFiles,
  options: { tag?: string; platform: Platform },
): Promise<ResolvedImage> {
  const indexBytes = await files.read('index.json')
  if (indexBytes === undefined) {
    const legacy = (await files.size('manifest.json')) !== undefined
    throw badArchive(
      files.where,
      'no index.json, so it is not an OCI image layout',
      legacy ? `it has a manifest.json: read it as docker-archive:${files.where}` : 'name an OCI layout',
    )
  }
  const index = parseLayoutManifest(indexBytes, 'index.json', files.where)
  if (index.kind !== 'index') throw badArchive(files.where, 'index.json is not an image index')
  const { item, manifest } = await pickManifest(files, index.manifests, options.tag, options.platform)
  const configBytes = await readBlob(files, manifest.config, 'config blob')
  const config = parseImageConfig(
    configBytes,
    `${files.where}: config blob ${manifest.config.digest}`,
    'IMGTEST_BAD_ARCHIVE',
  )
  if (config.diffIds.length !== manifest.layers.length) {
    throw badArchive(
      files.where,
      `manifest ${item.digest} lists ${manifest.layers.length} layers but its config has ${config.diffIds.length} diff ids`,
    )
  }
  const layers: LayerInfo[] = []
  for (const [position, layer] of manifest.layers.entries()) {
    const stored = await files.size(blobPath(layer.digest, files.where))
    // Non-distributable layers (with urls) may be left out of a layout on purpose.
    const external = Array.isArray((layer as { urls?: unknown }).urls)
    if (stored === undefined && !external) {
      throw badArchive(
        files.where,
        `layer blob ${layer.digest} is missing`,
        'the layout is incomplete or truncated',
      )
    }
    if (stored !== undefined && stored !== layer.size) {
      throw badArchive(
        files.where,
        `layer blob ${layer.digest} has ${stored} bytes, its manifest says ${layer.size}`,
      )
    }
    layers.push(layerInfo(config.diffIds[position] ?? '', layer))
  }
  return { manifestDigest: item.digest, config, layers }
}

/** A layer descriptor as the snapshot's LayerInfo: stored size, compressed by media type. */
export function layerInfo(diffId: string, layer: Descriptor): LayerInfo {
  const info: LayerInfo = { diffId, digest: layer.digest, size: layer.size, compressed: false }
  if (layer.mediaType) info.mediaType = layer.mediaType
  info.compressed = isCompressedMediaType(layer.mediaType)
  return info
}

/**
 * Assembles the snapshot every file source returns from a parsed config and its layers.
 *
 * @example
 * snapshotOf({ ref: 'oci:layout:v1', source: 'oci', config, layers, manifestDigest })
 */
export function snapshotOf(fields: {
  ref: string
  source: SourceKind
  config: ParsedImageConfig
  layers: LayerInfo[]
  manifestDigest?: string
}): ImageSnapshot {
  const { config } = fields
  const snapshot: ImageSnapshot = {
    ref: fields.ref,
    source: fields.source,
    digest: config.digest,
    platform: config.platform,
    config: config.config,
    layers: fields.layers,
    history: config.history,
    size: fields.layers.reduce((sum, layer) => sum + layer.size, 0),
    sizeBasis: fields.layers.some((layer) => layer.compressed) ? 'compressed' : 'uncompressed',
  }
  if (fields.manifestDigest) snapshot.manifestDigest = fields.manifestDigest
  if (config.created) snapshot.created = config.created
  return snapshot
}
