import type { FileIndex } from '../image/file-index.ts'
import type { ImageSnapshot } from '../image/snapshot.ts'

/** One side of a pair as the content checks see it: its config and what its layers hold. */
export interface IndexedImage {
  snapshot: ImageSnapshot
  index: FileIndex
}
