import type { FileIndex } from './file-index.ts'
import type { Inventory } from './inventory/package.ts'
import { readInventory } from './inventory/read-inventory.ts'
import { loadFileIndex } from './layers/load-file-index.ts'
import { loadSnapshot } from './load.ts'
import type { ImageSnapshot } from './snapshot.ts'

/** Everything the content checks read of one image: its config, its files and its packages. */
export interface ImageContents {
  snapshot: ImageSnapshot
  index: FileIndex
  inventory: Inventory
}

// Inventories are derived from an index, which loadFileIndex already shares for the run.
const inventories = new WeakMap<FileIndex, Inventory>()

/**
 * An image's snapshot, file index (its layers streamed once, then cached on disk) and inventory.
 *
 * @example
 * const { inventory } = await loadContents('imgtest-fixture/debian-upstream:12')
 */
export async function loadContents(ref: string): Promise<ImageContents> {
  const snapshot = await loadSnapshot(ref)
  const index = await loadFileIndex(snapshot)
  let inventory = inventories.get(index)
  if (inventory === undefined) {
    inventory = readInventory(index)
    inventories.set(index, inventory)
  }
  return { snapshot, index, inventory }
}
