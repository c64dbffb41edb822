import { runtimeEngine } from './engine.ts'
import { OWNER_LABEL } from './owner-label.ts'
import { SESSION_LABEL, sessionAlive } from './session-label.ts'

/** One resource imgtest created: its kind, id, name and the session (process) that made it. */
export interface Leftover {
  kind: 'container' | 'network'
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
 * Removes every container (running or not, with its anonymous volumes) and then every network
 * carrying imgtest's owner label whose creating process is gone: the leftovers of a crashed or
 * killed run. Resources of a live imgtest process are kept unless `all`; with `dryRun` nothing is
 * removed, only listed. Resources without the owner label are never touched.
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
  return result
}
