import type { FileEntry, FileIndex, LayerProblem } from '../file-index.ts'
import type { CaptureMatcher } from './capture-matcher.ts'
import type { LayerIndex } from './layer-index.ts'
import { parentOf } from './layer-path.ts'

/** The merged filesystem: entries plus a child list per directory, so whiteouts remove subtrees fast. */
class Tree {
  readonly entries = new Map<string, FileEntry>()
  readonly contents = new Map<string, Buffer>()
  readonly #children = new Map<string, Set<string>>()

  /** A path exists when it has an entry, or entries below it (a parent the tar never listed). */
  has(path: string): boolean {
    return this.entries.has(path) || this.#children.has(path)
  }

  set(entry: FileEntry): void {
    if (!this.entries.has(entry.path)) this.#link(entry.path)
    this.entries.set(entry.path, entry)
  }

  // Registers a path under its parent, and the parent under its own, up to the first known one.
  #link(path: string): void {
    for (let child = path; child !== '/'; ) {
      const parent = parentOf(child)
      const siblings = this.#children.get(parent)
      if (siblings) {
        siblings.add(child)
        return
      }
      this.#children.set(parent, new Set([child]))
      child = parent
    }
  }

  /** Removes a path and everything under it. */
  remove(path: string): void {
    this.removeChildren(path)
    this.entries.delete(path)
    this.contents.delete(path)
    this.#children.get(parentOf(path))?.delete(path)
  }

  /** Removes everything under a directory, keeping the directory. */
  removeChildren(dir: string): void {
    const pending = [...(this.#children.get(dir) ?? [])]
    this.#children.delete(dir)
    for (let path = pending.pop(); path !== undefined; path = pending.pop()) {
      this.entries.delete(path)
      this.contents.delete(path)
      const below = this.#children.get(path)
      if (below) {
        pending.push(...below)
        this.#children.delete(path)
      }
    }
  }
}

/**
 * Applies layer indexes in order (0 = base) into one FileIndex, as a container runtime unpacks them:
 * each layer's whiteouts and opaque directories first hide what the layers below hold, then its
 * entries are added (a non-directory replacing a directory removes the directory's tree). Hard links
 * to paths that do not exist, and whiteouts of paths that do not exist, become problems.
 *
 * @example
 * const index = mergeLayers(layers, compileCapture(DEFAULT_CAPTURE))
 * index.entries.get('/usr/bin/env')?.type // 'symlink'
 */
export function mergeLayers(layers: readonly LayerIndex[], capture: CaptureMatcher): FileIndex {
  const tree = new Tree()
  const problems: LayerProblem[] = []
  for (const [layer, index] of layers.entries()) {
    for (const issue of index.problems) problems.push({ layer, ...issue })
    for (const whiteout of index.whiteouts) {
      if (!tree.has(whiteout.path)) {
        problems.push({
          layer,
          path: whiteout.stored,
          kind: 'whiteout-missing',
          message: `whiteout of ${whiteout.path}, which no lower layer has`,
        })
        continue
      }
      tree.remove(whiteout.path)
    }
    for (const dir of index.opaqueDirs) tree.removeChildren(dir)
    for (const item of index.entries) {
      const { stored: _stored, ...fields } = item
      const entry: FileEntry = { ...fields, layer }
      const previous = tree.entries.get(entry.path)
      if (previous?.type === 'dir' && entry.type !== 'dir') tree.remove(entry.path)
      if (entry.type === 'hardlink') linkTo(tree, entry, item.stored ?? entry.path, capture, problems)
      tree.set(entry)
      const content = index.contents.get(entry.path)
      if (content) tree.contents.set(entry.path, content)
      else if (entry.type !== 'hardlink') tree.contents.delete(entry.path)
    }
  }
  return {
    diffIds: layers.map((layer) => layer.diffId),
    entries: tree.entries,
    contents: tree.contents,
    problems,
  }
}

// A hard link shares its target's content: size, hash and captured bytes come from the target.
function linkTo(
  tree: Tree,
  entry: FileEntry,
  stored: string,
  capture: CaptureMatcher,
  problems: LayerProblem[],
): void {
  const target = tree.entries.get(entry.linkTarget ?? '')
  if (!target || target.type === 'dir') {
    problems.push({
      layer: entry.layer,
      path: stored,
      kind: 'hardlink-missing',
      message: target
        ? `hard link ${entry.path} points at directory ${entry.linkTarget}`
        : `hard link ${entry.path} points at ${entry.linkTarget}, which does not exist at that point`,
    })
    tree.contents.delete(entry.path)
    return
  }
  entry.size = target.size
  if (target.sha256) entry.sha256 = target.sha256
  const content = tree.contents.get(target.path)
  if (content && capture.content(entry.path)) tree.contents.set(entry.path, content)
  else tree.contents.delete(entry.path)
}
