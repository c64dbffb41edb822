import type { ImageSnapshot, LayerInfo } from '../snapshot.ts'
import type { CaptureMatcher } from './capture-matcher.ts'
import { diffIdMismatch, layerReadError } from './layer-error.ts'
import type { LayerIndex } from './layer-index.ts'
import { LayerSink } from './layer-sink.ts'

/** Opens the stored blob of one layer (compressed or not) as a byte stream. */
export type OpenBlob = (layer: LayerInfo, position: number) => Promise<AsyncIterable<Buffer>>

/** What a layer reader needs: which layers, how to index them, where the results go. */
export interface LayerReadRequest {
  snapshot: ImageSnapshot
  /** Diff ids to read (each once), a subset of the snapshot's. */
  wanted: readonly string[]
  capture: CaptureMatcher
  /** Called with each index as soon as it is read and verified. */
  onIndexed(index: LayerIndex): Promise<void>
}

/**
 * Reads layers a source can open one by one (OCI blobs, archive members, registry blobs): each
 * wanted diff id's blob is streamed once through a LayerSink and checked against the diff id.
 *
 * @example
 * await readBlobLayers(request, (layer) => openFile(layer.digest), 'copy the layout again')
 */
export async function readBlobLayers(request: LayerReadRequest, open: OpenBlob, hint: string): Promise<void> {
  const { snapshot } = request
  for (const diffId of request.wanted) {
    const position = snapshot.layers.findIndex((layer) => layer.diffId === diffId)
    const layer = snapshot.layers[position]
    if (!layer) throw new Error(`diff id ${diffId} is not a layer of ${snapshot.ref}`)
    const sink = new LayerSink(request.capture)
    let index: LayerIndex
    try {
      for await (const chunk of await open(layer, position)) await sink.write(chunk)
      index = await sink.end()
    } catch (error) {
      throw layerReadError(snapshot, position, error, sink.current, hint)
    }
    if (index.diffId !== diffId) throw diffIdMismatch(snapshot, position, index.diffId, hint)
    await request.onIndexed(index)
  }
}
