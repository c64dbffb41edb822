import { readDockerArchiveLayers, readOciArchiveLayers } from './archive-layers.ts'
import type { LayerReadRequest } from './blob-layers.ts'
import { readEngineLayers } from './engine-layers.ts'
import { readOciDirectoryLayers } from './oci-layers.ts'
import { readRegistryLayers } from './registry-layers.ts'

/**
 * Reads the wanted layers of an image from the source its snapshot came from, each layer once,
 * handing every verified index to `request.onIndexed`.
 *
 * @example
 * await readLayers({ snapshot, wanted: ['sha256:…'], capture, onIndexed: (index) => cache.put(index, capture.key) })
 */
export function readLayers(request: LayerReadRequest): Promise<void> {
  switch (request.snapshot.source) {
    case 'engine':
      return readEngineLayers(request)
    case 'docker-archive':
      return readDockerArchiveLayers(request)
    case 'oci-archive':
      return readOciArchiveLayers(request)
    case 'oci':
      return readOciDirectoryLayers(request)
    case 'registry':
      return readRegistryLayers(request)
  }
}
