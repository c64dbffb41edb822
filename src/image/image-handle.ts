import { loadSnapshot } from './load.ts'
import type { ImageSnapshot } from './snapshot.ts'

/**
 * One image, named by a reference in any transport imgtest reads. Creating a handle does no I/O:
 * the image is read the first time a check needs it, and its snapshot is cached for the run.
 *
 * @example
 * await expect(image('docker-archive:web.tar')).toRunAsNonRoot()
 */
export class ImageHandle {
  readonly ref: string

  constructor(ref: string) {
    this.ref = ref
  }

  snapshot(): Promise<ImageSnapshot> {
    return loadSnapshot(this.ref)
  }

  toString(): string {
    return this.ref
  }
}

/** A handle on one image, for single-image matchers. */
export function image(ref: string): ImageHandle {
  return new ImageHandle(ref)
}
