import { runtimeEngine } from './engine.ts'
import { OWNER_LABEL } from './owner-label.ts'
import { SESSION_LABEL, sessionAlive } from './session-label.ts'

/** One resource imgtest created: its kind, id, name and the session (process) that made it. */
export interface Leftover {
  kind: 'container' | 'network' | 'image'
  id: string
  name: string
  session?: string
}

export interface PruneResult {
  /** Removed (or, with `dryRun`, to be removed). */
  removed: Leftover[]
  /** Left alone: their imgtest process still runs on this host (pass `all` to take them too). */
  live: Leftover[]
  failed: { leftover: Leftover; error: string }[]
}

/**
 * Removes every container (running or not, with its anonymous volumes), then every network, then
 * every image carrying imgtest's owner label whose creating process is gone: the leftovers of a
 * crashed or killed run. Such images are what container-structure-test `setup` steps commit (a
 * commit keeps the container's labels). Resources of a live imgtest process are kept unless `all`;
 * with `dryRun` nothing is removed, only listed. Resources without the owner label are never touched.
 *
 * @example
 * const { removed } = await pruneLeftovers({ dryRun: true })
 */
export async function pruneLeftovers(
  options: { dryRun?: boolean; all?: boolean } = {},
): Promise<PruneResult> {
  const docker = await runtimeEngine()
  const filters = { label: [OWNER_LABEL] }
  const result: PruneResult = { removed: [], live: [], failed: [] }
  const run = async (leftover: Leftover, remove: () => Promise<unknown>) => {
    if (!options.all && sessionAlive(leftover.session)) {
      result.live.push(leftover)
      return
    }
    try {
      if (!options.dryRun) await remove()
      result.removed.push(leftover)
    } catch (error) {
      result.failed.push({ leftover, error: error instanceof Error ? error.message : String(error) })
    }
  }
  const session = (labels: Record<string, string> | undefined) => {
    const value = labels?.[SESSION_LABEL]
    return value === undefined ? {} : { session: value }
  }
  // Containers first: a network with containers attached cannot be removed.
  const containers = await docker.listContainers({ all: true, filters })
  await Promise.all(
    containers.map((c) =>
      run(
        { kind: 'container', id: c.Id, name: (c.Names[0] ?? c.Id).replace(/^\//, ''), ...session(c.Labels) },
        () => docker.getContainer(c.Id).remove({ force: true, v: true }),
      ),
    ),
  )
  const networks = await docker.listNetworks({ filters })
  await Promise.all(
    networks.map((n) =>
      run({ kind: 'network', id: n.Id, name: n.Name, ...session(n.Labels) }, () =>
        docker.getNetwork(n.Id).remove(),
      ),
    ),
  )
  // `all` lists the untagged parents too: setup steps chain, each commit the next one's base.
  let images = await docker.listImages({ all: true, filters })
  while (images.length > 0) {
    // Children before their parents (the engine refuses to remove an image another is built on);
    // creation times are in seconds, too coarse for steps committed within one.
    const parents = new Set(images.map((image) => image.ParentId))
    const leaves = images.filter((image) => !parents.has(image.Id))
    const batch = leaves.length > 0 ? leaves : images
    await Promise.all(
      batch.map((image) => {
        const tag = image.RepoTags?.find((t) => t !== '<none>:<none>')
        const leftover: Leftover = {
          kind: 'image',
          id: image.Id.replace(/^sha256:/, ''),
          name: tag ?? '<untagged>',
          ...session(image.Labels),
        }
        // noprune: only images carrying the label go, each listed; one already gone is fine.
        return run(leftover, () =>
          docker
            .getImage(image.Id)
            .remove({ noprune: true })
            .catch((error: { statusCode?: number }) => {
              if (error.statusCode !== 404) throw error
            }),
        )
      }),
    )
    images = images.filter((image) => !batch.includes(image))
  }
  return result
}
