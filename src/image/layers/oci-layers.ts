import { createReadStream } from 'node:fs'
import { join } from 'node:path'
import { blobPath } from '../oci-layout.ts'
import { parseImageRef } from '../ref.ts'
import { type LayerReadRequest, readBlobLayers } from './blob-layers.ts'

/**
 * Reads the layers of an OCI image layout directory (`oci:dir[:tag]`): each blob by its digest.
 *
 * @example
 * await readOciDirectoryLayers({ snapshot, wanted, capture, onIndexed })
 */
export async function readOciDirectoryLayers(request: LayerReadRequest): Promise<void> {
  const ref = parseImageRef(request.snapshot.ref)
  if (ref.transport !== 'oci') throw new Error(`${request.snapshot.ref} is not an oci: reference`)
  const dir = ref.path
  await readBlobLayers(
    request,
    async (layer) => {
      if (!layer.digest) throw new Error('the layout names no blob digest for this layer')
      return createReadStream(join(dir, blobPath(layer.digest, dir)), { highWaterMark: 1024 * 1024 })
    },
    `copy the layout again (skopeo copy … oci:${dir})`,
  )
}
