import { type ImageContents, loadContents } from './image-contents.ts'
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

  /** The image's config, layers and size; reads no layer. */
  snapshot(): Promise<ImageSnapshot> {
    return loadSnapshot(this.ref)
  }

  /** The snapshot plus what the layers hold: files, users, packages. Layers are read once, then cached. */
  contents(): Promise<ImageContents> {
    return loadContents(this.ref)
  }

  toString(): string {
    return this.ref
  }
}

/** A handle on one image, for single-image matchers. */
export function image(ref: string): ImageHandle {
  return new ImageHandle(ref)
}
