import { ImgtestError } from '../errors.ts'
import { parseDockerReference, sameDockerReference } from './docker-reference.ts'
import { parseImageConfig } from './image-config.ts'
import {
  badArchive,
  blobPath,
  type LayoutFiles,
  layerInfo,
  parseArchiveJson,
  parseLayoutManifest,
  snapshotOf,
} from './oci-layout.ts'
import { archiveFiles } from './oci-source.ts'
import type { DockerReference } from './ref.ts'
import type { Descriptor } from './registry-manifest.ts'
import type { ImageSnapshot, LayerInfo } from './snapshot.ts'
import { resolveEntry, scanTar, type TarIndex } from './tar-index.ts'

/** One image of a docker save archive's manifest.json. */
export interface ArchiveImage {
  Config: string
  RepoTags: string[]
  Layers: string[]
}

export interface DockerArchiveOptions {
  /** Pick the image carrying this tag (RepoTags). */
  reference?: DockerReference
  /** Pick the n-th image of manifest.json, as skopeo's `@n` does. */
  sourceIndex?: number
}

/** Parses manifest.json: a list of images, each with its config path, tags and layer paths. */
export function parseArchiveManifest(bytes: Buffer, where: string): ArchiveImage[] {
  const value = parseArchiveJson(bytes, 'manifest.json', where)
  if (!Array.isArray(value)) throw badArchive(where, 'manifest.json is not a list of images')
  return value.map((item, position) => {
    const image = item as Partial<ArchiveImage> | null
    const layers = image?.Layers
    if (
      !image ||
      typeof image.Config !== 'string' ||
      !Array.isArray(layers) ||
      !layers.every((l) => typeof l === 'string')
    ) {
      throw badArchive(where, `manifest.json entry ${position} has no Config path or Layers list`)
    }
    const tags = Array.isArray(image.RepoTags) ? image.RepoTags.filter((tag) => typeof tag === 'string') : []
    return { Config: image.Config, RepoTags: tags, Layers: layers }
  })
}

/**
 * Chooses the image of an archive: the one tagged `reference`, the `sourceIndex`-th, or the only one.
 *
 * @example
 * selectArchiveImage(images, { reference: parseDockerReference('example/web:1') }, 'web.tar')
 */
export function selectArchiveImage(
  images: ArchiveImage[],
  options: DockerArchiveOptions,
  where: string,
): ArchiveImage {
  const tags = images.flatMap((image) => image.RepoTags)
  const listed = tags.length > 0 ? tags.join(', ') : 'no tags'
  if (images.length === 0) throw badArchive(where, 'manifest.json lists no images')
  if (options.sourceIndex !== undefined) {
    const image = images[options.sourceIndex]
    if (!image) {
      throw new ImgtestError(
        'IMGTEST_IMAGE_NOT_FOUND',
        `${where} has no image @${options.sourceIndex}; it holds ${images.length} (@0 to @${images.length - 1})`,
      )
    }
    return image
  }
  const wanted = options.reference
  if (wanted) {
    const image = images.find((candidate) => candidate.RepoTags.some((tag) => tagMatches(tag, wanted)))
    if (!image) {
      throw new ImgtestError(
        'IMGTEST_IMAGE_NOT_FOUND',
        `${where} has no image tagged ${wanted.familiar}; it has ${listed}`,
      )
    }
    return image
  }
  if (images.length > 1) {
    throw badArchive(
      where,
      `it holds ${images.length} images (${listed})`,
      `name one after the path, as in docker-archive:${where}:${images.find((image) => image.RepoTags[0])?.RepoTags[0] ?? '@0'}`,
    )
  }
  return images[0] as ArchiveImage
}

function tagMatches(tag: string, wanted: DockerReference): boolean {
  try {
    return sameDockerReference(parseDockerReference(tag), wanted)
  } catch {
    return false
  }
}

const GZIP = [0x1f, 0x8b]
const ZSTD = [0x28, 0xb5, 0x2f, 0xfd]
const startsWith = (magic: Buffer | undefined, bytes: number[]) =>
  bytes.every((byte, i) => magic?.[i] === byte)

/** The Docker 25+ layout also has index.json: find the manifest of this config there, for digest and media types. */
async function ociManifestOf(files: LayoutFiles, configDigest: string) {
  const indexBytes = await files.read('index.json')
  if (!indexBytes) return undefined
  const index = parseLayoutManifest(indexBytes, 'index.json', files.where)
  const pending: Descriptor[] = index.kind === 'index' ? [...index.manifests] : []
  // Bounded: a crafted index could list itself.
  for (let seen = 0; pending.length > 0 && seen < 64; seen++) {
    const item = pending.shift() as Descriptor
    const bytes = await files.read(blobPath(item.digest, files.where))
    if (!bytes) continue
    const manifest = parseLayoutManifest(bytes, `manifest ${item.digest}`, files.where)
    if (manifest.kind === 'index') pending.push(...manifest.manifests)
    else if (manifest.config.digest === configDigest) return { digest: item.digest, manifest }
  }
  return undefined
}

function archiveLayers(index: TarIndex, image: ArchiveImage, diffIds: string[]): LayerInfo[] {
  if (image.Layers.length !== diffIds.length) {
    throw badArchive(
      index.file,
      `manifest.json lists ${image.Layers.length} layers but the config has ${diffIds.length} diff ids`,
    )
  }
  return image.Layers.map((path, position) => {
    const entry = resolveEntry(index, path)
    if (!entry)
      throw badArchive(
        index.file,
        `layer ${path} listed in manifest.json is missing`,
        'the archive is incomplete or truncated',
      )
    const compressed = startsWith(entry.magic, GZIP) || startsWith(entry.magic, ZSTD)
    const layer: LayerInfo = { diffId: diffIds[position] ?? '', size: entry.size, compressed }
    const blob = /^blobs\/(sha256)\/([a-f0-9]{64})$/.exec(entry.name)
    if (blob) layer.digest = `${blob[1]}:${blob[2]}`
    return layer
  })
}

/**
 * Reads an image from a `docker save` archive, streaming it once: the legacy layout (Docker ≤ 24:
 * manifest.json, `<id>.json`, `<layer>/layer.tar`) or the OCI layout Docker 25+ writes (which also has
 * a manifest.json). Layer sizes are the stored tar sizes.
 *
 * @example
 * const snapshot = await readDockerArchive('web.tar', 'docker-archive:web.tar:example/web:1', { reference })
 */
export async function readDockerArchive(
  file: string,
  input: string,
  options: DockerArchiveOptions = {},
): Promise<ImageSnapshot> {
  const index = await scanTar(file)
  const files = archiveFiles(index)
  const manifestBytes = await files.read('manifest.json')
  if (!manifestBytes) {
    const oci = (await files.size('index.json')) !== undefined
    throw badArchive(
      file,
      'no manifest.json, so it is not a docker save archive',
      oci ? `it has an index.json: read it as oci-archive:${file}` : 'write it with docker save',
    )
  }
  const image = selectArchiveImage(parseArchiveManifest(manifestBytes, file), options, file)
  const configBytes = await files.read(image.Config)
  if (!configBytes) throw badArchive(file, `config ${image.Config} listed in manifest.json is missing`)
  const config = parseImageConfig(configBytes, `${file}: config ${image.Config}`, 'IMGTEST_BAD_ARCHIVE')
  const layers = archiveLayers(index, image, config.diffIds)
  const oci = await ociManifestOf(files, config.digest)
  if (!oci) return snapshotOf({ ref: input, source: 'docker-archive', config, layers })
  // The OCI manifest names the media types; sizes stay what the tar stores.
  const typed = layers.map((layer, position) => {
    const descriptor = oci.manifest.layers[position]
    if (!descriptor || descriptor.digest !== layer.digest) return layer
    return { ...layerInfo(layer.diffId, descriptor), size: layer.size }
  })
  return snapshotOf({
    ref: input,
    source: 'docker-archive',
    config,
    layers: typed,
    manifestDigest: oci.digest,
  })
}
