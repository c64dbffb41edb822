import { ImgtestError } from '../errors.ts'
import type { Platform } from './snapshot.ts'

/** Media types imgtest reads from a registry. */
export const MediaType = {
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerSchema1: 'application/vnd.docker.distribution.manifest.v1+json',
  dockerSchema1Signed: 'application/vnd.docker.distribution.manifest.v1+prettyjws',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
} as const

/** The Accept header for manifests: without it, registry 2.8 converts to the deprecated schema 1. */
export const MANIFEST_ACCEPT = [
  MediaType.ociIndex,
  MediaType.ociManifest,
  MediaType.dockerList,
  MediaType.dockerManifest,
].join(', ')

export interface Descriptor {
  mediaType?: string
  digest: string
  size: number
  platform?: Platform & { 'os.version'?: string; 'os.features'?: string[] }
  annotations?: Record<string, string>
}

export type RegistryManifest =
  | { kind: 'index'; mediaType: string; manifests: Descriptor[] }
  | { kind: 'image'; mediaType: string; config: Descriptor; layers: Descriptor[] }

const INDEX_TYPES = new Set<string>([MediaType.ociIndex, MediaType.dockerList])
const IMAGE_TYPES = new Set<string>([MediaType.ociManifest, MediaType.dockerManifest])
const CONFIG_TYPES = new Set<string>([MediaType.ociConfig, MediaType.dockerConfig])

/**
 * Parses a manifest body into an index (manifest list) or an image manifest. The media type comes from
 * the body when it names one, else from Content-Type. Schema 1 and non-image artifacts are rejected.
 * `where` names the manifest in error messages (`127.0.0.1:5000/app:1`).
 *
 * @example
 * const manifest = parseRegistryManifest(bytes, response.headers.get('content-type'), 'registry.example/app:1')
 * if (manifest.kind === 'index') console.log(manifest.manifests.map((m) => m.platform))
 */
export function parseRegistryManifest(
  bytes: Uint8Array,
  contentType: string | null,
  where: string,
): RegistryManifest {
  let body: Record<string, unknown>
  try {
    body = JSON.parse(Buffer.from(bytes).toString('utf8')) as Record<string, unknown>
  } catch (error) {
    throw new ImgtestError('IMGTEST_REGISTRY_ERROR', `manifest of ${where} is not valid JSON`, {
      cause: error,
    })
  }
  const headerType = contentType?.split(';')[0]?.trim()
  const mediaType = typeof body.mediaType === 'string' ? body.mediaType : (headerType ?? '')
  if (body.schemaVersion === 1 || mediaType.startsWith('application/vnd.docker.distribution.manifest.v1')) {
    throw new ImgtestError(
      'IMGTEST_REGISTRY_ERROR',
      `registry answered a schema 1 manifest for ${where}; schema 1 is deprecated and unsupported: push the image again with a current Docker or skopeo`,
    )
  }
  const isIndex =
    INDEX_TYPES.has(mediaType) ||
    (!IMAGE_TYPES.has(mediaType) && Array.isArray(body.manifests) && !body.config)
  if (isIndex) {
    const manifests = body.manifests
    if (!Array.isArray(manifests)) throw malformed(where, 'no manifests array')
    return { kind: 'index', mediaType, manifests: manifests.map((item) => descriptor(item, where)) }
  }
  if (IMAGE_TYPES.has(mediaType) || body.config) {
    const config = descriptor(body.config, where)
    if (config.mediaType && !CONFIG_TYPES.has(config.mediaType)) {
      throw new ImgtestError(
        'IMGTEST_REGISTRY_ERROR',
        `${where} is not a container image (config media type ${config.mediaType})`,
      )
    }
    if (!Array.isArray(body.layers)) throw malformed(where, 'no layers array')
    return {
      kind: 'image',
      mediaType,
      config,
      layers: body.layers.map((item) => descriptor(item, where)),
    }
  }
  throw new ImgtestError(
    'IMGTEST_REGISTRY_ERROR',
    `manifest of ${where} has unsupported media type ${mediaType || '(none)'}; imgtest reads OCI and Docker v2 images`,
  )
}

function descriptor(value: unknown, where: string): Descriptor {
  const item = value as Partial<Descriptor> | null
  if (
    !item ||
    typeof item.digest !== 'string' ||
    !/^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/.test(item.digest)
  ) {
    throw malformed(where, 'a descriptor without a valid digest')
  }
  if (typeof item.size !== 'number' || !Number.isSafeInteger(item.size) || item.size < 0) {
    throw malformed(where, `descriptor ${item.digest} without a valid size`)
  }
  return item as Descriptor
}

function malformed(where: string, what: string): ImgtestError {
  return new ImgtestError('IMGTEST_REGISTRY_ERROR', `manifest of ${where} is malformed: ${what}`)
}
