import { ImgtestError } from '../errors.ts'
import { type ParsedImageConfig, parseImageConfig } from './image-config.ts'
import type { DockerReference } from './ref.ts'
import { RegistryClient } from './registry-client.ts'
import { type Descriptor, parseRegistryManifest, type RegistryManifest } from './registry-manifest.ts'
import { hostPlatform, selectPlatform } from './select-platform.ts'
import type { ImageSnapshot, LayerInfo, Platform } from './snapshot.ts'

export interface RegistryReadOptions {
  /** Platform to pick from a manifest list; default the host's (linux + this CPU). */
  platform?: Platform
  /** Use plain http for this registry (localhost and 127.0.0.0/8 always are). */
  insecure?: boolean
  /** Directory of Docker's config.json; default `$DOCKER_CONFIG`, else `~/.docker`. */
  dockerConfig?: string
}

/**
 * Reads an image's snapshot from a registry (Registry HTTP API v2) without downloading layers:
 * the manifest (a list resolved to the platform), then the config blob, checked against its digest.
 *
 * @example
 * const snapshot = await readRegistryImage(parseImageRef('docker://127.0.0.1:5000/app:1').reference, 'docker://127.0.0.1:5000/app:1')
 * snapshot.digest // the config digest: the Id `docker image inspect` shows
 */
export async function readRegistryImage(
  reference: DockerReference,
  input: string,
  options: RegistryReadOptions = {},
): Promise<ImageSnapshot> {
  const client = new RegistryClient({
    registry: reference.registry,
    repository: reference.repository,
    insecure: options.insecure,
    dockerConfig: options.dockerConfig,
  })
  const tagOrDigest = reference.digest ?? reference.tag ?? 'latest'
  const where = `${reference.registry}/${reference.repository}${reference.digest ? '@' : ':'}${tagOrDigest}`
  const wanted = options.platform ?? hostPlatform()

  let fetched = await client.getManifest(tagOrDigest)
  let manifest = parseRegistryManifest(fetched.bytes, fetched.contentType, where)
  let chosen: Descriptor | undefined
  // An index may point at another index (rare, but allowed); follow at most two levels.
  for (let depth = 0; manifest.kind === 'index'; depth++) {
    if (depth === 2) {
      throw new ImgtestError(
        'IMGTEST_REGISTRY_ERROR',
        `${where}: manifest lists nested deeper than two levels`,
      )
    }
    chosen = selectPlatform(manifest.manifests, wanted, where)
    fetched = await client.getManifest(chosen.digest)
    manifest = parseRegistryManifest(fetched.bytes, fetched.contentType ?? chosen.mediaType ?? null, where)
  }

  const configDigest = manifest.config.digest
  const blob = parseImageConfig(
    await client.getBlob(configDigest),
    `config ${configDigest} of ${where}`,
    'IMGTEST_REGISTRY_ERROR',
  )
  if (!chosen && options.platform) {
    // A single-platform image: refuse it only when the caller asked for another platform.
    selectPlatform([{ ...manifest.config, platform: blob.platform }], options.platform, where)
  }
  return registrySnapshot({
    input,
    manifest,
    manifestDigest: fetched.digest,
    configDigest,
    blob,
    where,
  })
}

/**
 * Builds the snapshot of a registry image from its image manifest and parsed config blob: layers from
 * the manifest (blob digest, media type, compressed size) paired with the config's diff ids.
 *
 * @example
 * registrySnapshot({ input: 'docker://reg/app:1', manifest, manifestDigest, configDigest, blob, where: 'reg/app:1' })
 */
export function registrySnapshot(parts: {
  input: string
  manifest: Extract<RegistryManifest, { kind: 'image' }>
  manifestDigest: string
  configDigest: string
  blob: ParsedImageConfig
  where: string
}): ImageSnapshot {
  const { manifest, blob } = parts
  if (manifest.layers.length !== blob.diffIds.length) {
    throw new ImgtestError(
      'IMGTEST_REGISTRY_ERROR',
      `${parts.where}: manifest lists ${manifest.layers.length} layers but the config has ${blob.diffIds.length} diff ids`,
    )
  }
  const layers: LayerInfo[] = manifest.layers.map((layer, index) => ({
    diffId: blob.diffIds[index] ?? '',
    digest: layer.digest,
    ...(layer.mediaType ? { mediaType: layer.mediaType } : {}),
    size: layer.size,
    compressed: /gzip|zstd/.test(layer.mediaType ?? ''),
  }))
  return {
    ref: parts.input,
    source: 'registry',
    digest: parts.configDigest,
    manifestDigest: parts.manifestDigest,
    platform: blob.platform,
    ...(blob.created ? { created: blob.created } : {}),
    config: blob.config,
    layers,
    history: blob.history,
    size: layers.reduce((total, layer) => total + layer.size, 0),
    sizeBasis:
      layers.every((layer) => !layer.compressed) && layers.length > 0 ? 'uncompressed' : 'compressed',
  }
}
