import type { Readable } from 'node:stream'
import { createClient, engineAddress, engineError } from '../engine-source.ts'
import type { LayerReadRequest } from './blob-layers.ts'
import { readSaveStream } from './save-stream-layers.ts'

/**
 * Reads an engine image's layers from the engine's export (`GET /images/{id}/get`, what `docker save`
 * streams), once, in whatever order the engine sends them. The image is named by its id, so a tag
 * moved since the snapshot was taken cannot swap the image under the index.
 *
 * @example
 * await readEngineLayers({ snapshot, wanted, capture, onIndexed })
 */
export async function readEngineLayers(request: LayerReadRequest): Promise<void> {
  const address = engineAddress()
  const docker = await createClient(address)
  const shown = request.snapshot.ref
  let stream: Readable
  try {
    const image = docker.getImage(request.snapshot.digest)
    // The export answers a missing image with a 500; inspect says 404, which engineError names.
    await image.inspect()
    stream = (await image.get()) as Readable
  } catch (error) {
    throw engineError(error, shown, address)
  }
  try {
    await readSaveStream(
      request,
      stream,
      `the engine's export of ${request.snapshot.digest.slice(0, 19)}`,
      `the engine at ${address} sent a damaged export; check its storage with docker image inspect`,
    )
  } catch (error) {
    // A connection cut mid-export is the engine going away, not a bad layer.
    const code = (error as { cause?: { code?: string } }).cause?.code
    if (code === 'ECONNRESET' || code === 'EPIPE') throw engineError((error as Error).cause, shown, address)
    throw error
  } finally {
    stream.destroy()
  }
}
