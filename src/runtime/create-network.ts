import { randomBytes } from 'node:crypto'
import { removeNetwork, trackNetwork } from './cleanup.ts'
import { runtimeEngine } from './engine.ts'
import { OWNER_LABEL } from './owner-label.ts'
import { SESSION_LABEL, sessionId } from './session-label.ts'

/** A user-defined bridge network imgtest created; containers join it through `network: net.name`. */
export interface ImgtestNetwork extends AsyncDisposable {
  readonly id: string
  readonly name: string
  /** Removes the network (its containers must be gone first). */
  remove(): Promise<void>
}

/**
 * Creates a user-defined bridge network with imgtest's owner and session labels, tracked so it is
 * removed on SIGINT/SIGTERM and by `imgtest prune`. Containers on it reach each other by alias.
 *
 * @example
 * await using net = await createNetwork()
 * await startContainer('example/db:1', { network: net.name, networkAliases: ['db'] })
 */
export async function createNetwork(name?: string): Promise<ImgtestNetwork> {
  const docker = await runtimeEngine()
  const networkName = name ?? `imgtest-${randomBytes(6).toString('hex')}`
  const created = await docker.createNetwork({
    Name: networkName,
    Driver: 'bridge',
    CheckDuplicate: true,
    Labels: { [OWNER_LABEL]: 'imgtest', [SESSION_LABEL]: sessionId },
  })
  trackNetwork(created.id)
  const remove = () => removeNetwork(created.id)
  return { id: created.id, name: networkName, remove, [Symbol.asyncDispose]: remove }
}
