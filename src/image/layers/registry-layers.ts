import { Readable } from 'node:stream'
import type { ReadableStream } from 'node:stream/web'
import { parseImageRef } from '../ref.ts'
import { RegistryClient } from '../registry-client.ts'
import { type LayerReadRequest, readBlobLayers } from './blob-layers.ts'

/**
 * Reads the layers of a registry image: each blob streamed once with the same credentials the
 * manifest was read with (Docker's config), decompressed and checked against its diff id.
 *
 * @example
 * await readRegistryLayers({ snapshot, wanted, capture, onIndexed })
 */
export async function readRegistryLayers(request: LayerReadRequest): Promise<void> {
  const ref = parseImageRef(request.snapshot.ref)
  if (!('reference' in ref) || ref.reference === undefined) {
    throw new Error(`${request.snapshot.ref} names no registry image`)
  }
  const client = new RegistryClient({
    registry: ref.reference.registry,
    repository: ref.reference.repository,
  })
  await readBlobLayers(
    request,
    async (layer) => {
      if (!layer.digest) throw new Error('the manifest names no blob digest for this layer')
      const body = await client.openBlob(layer.digest)
      return Readable.fromWeb(body as ReadableStream<Uint8Array>)
    },
    `the registry ${ref.reference.registry} served a damaged blob; push the image again`,
  )
}
