import { ImgtestError, isImgtestError } from '../errors.ts'
import { readDockerArchive } from './docker-archive-source.ts'
import { readEngineImage } from './engine-source.ts'
import { readOciArchive, readOciDirectory } from './oci-source.ts'
import type { DockerReference, ImageRef } from './ref.ts'
import { parseImageRef } from './ref.ts'
import { readRegistryImage } from './registry-source.ts'
import type { ImageSnapshot } from './snapshot.ts'

// One snapshot per reference for the whole run: pairs that share an image read it once.
const cache = new Map<string, Promise<ImageSnapshot>>()

/**
 * Reads an image's snapshot from wherever its reference points (see containers-transports(5)),
 * once per run. A failed read is not cached, so a test that builds the image can retry.
 *
 * @example
 * const snapshot = await loadSnapshot('docker-archive:web.tar')
 */
export function loadSnapshot(ref: string | ImageRef): Promise<ImageSnapshot> {
  const parsed = typeof ref === 'string' ? parseImageRef(ref) : ref
  let pending = cache.get(parsed.input)
  if (pending === undefined) {
    pending = readSnapshot(parsed)
    cache.set(parsed.input, pending)
    pending.catch(() => cache.delete(parsed.input))
  }
  return pending
}

/** Forgets every cached snapshot (an image was rebuilt under the same tag). */
export function clearSnapshotCache(): void {
  cache.clear()
}

function readSnapshot(ref: ImageRef): Promise<ImageSnapshot> {
  switch (ref.transport) {
    case 'auto':
      return readLocalThenRegistry(ref.reference, ref.input)
    case 'docker-daemon':
      return readEngineImage('imageId' in ref ? ref.imageId : ref.reference, ref.input)
    case 'docker':
      return readRegistryImage(ref.reference, ref.input)
    case 'docker-archive':
      return readDockerArchive(ref.path, ref.input, {
        reference: ref.reference,
        sourceIndex: ref.sourceIndex,
      })
    case 'oci-archive':
      return readOciArchive(ref.path, ref.input, { tag: ref.tag })
    case 'oci':
      return readOciDirectory(ref.path, ref.input, { tag: ref.tag })
  }
}

// A bare name means the local engine first; only an image the engine does not have is looked up in
// its registry (reading a manifest pulls nothing into the engine). An unreachable engine is an error.
async function readLocalThenRegistry(reference: DockerReference, input: string): Promise<ImageSnapshot> {
  try {
    return await readEngineImage(reference, input)
  } catch (engineError) {
    if (!isImgtestError(engineError) || engineError.code !== 'IMGTEST_IMAGE_NOT_FOUND') throw engineError
    try {
      return await readRegistryImage(reference, input)
    } catch (registryError) {
      const why = isImgtestError(registryError) ? registryError.message : String(registryError)
      throw new ImgtestError(
        'IMGTEST_IMAGE_NOT_FOUND',
        `${engineError.message.replace(/; .*$/, '')}, nor in its registry (${why.replace(/; .*$/, '')}); build or pull it, or name it with docker-archive:, oci: or docker://`,
        { cause: registryError },
      )
    }
  }
}
