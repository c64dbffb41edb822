import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { engineConnection, engineStatus, runtimeEngine } from './engine.ts'
import { removeSessionSync } from './remove-session-sync.ts'
import { sessionId } from './session-label.ts'

/**
 * Every container and network this process created and has not removed yet. They are removed on
 * success and failure by their owners, and here on SIGINT, SIGTERM and exit, whatever happens.
 */
const containers = new Set<string>()
const networks = new Set<string>()
const tempDirs = new Set<string>()

/** A host temp dir removed with `remove()` (or `await using`), and on a signal or at exit. */
export interface TempDir extends AsyncDisposable {
  readonly path: string
  remove(): Promise<void>
}

/**
 * Makes a fresh host temp dir (`<tmpdir>/<prefix>XXXXXX`) that is removed like the containers
 * are: by its owner, or on SIGINT, SIGTERM and exit whatever happens (copies of test suites,
 * suite output dirs, shims).
 *
 * @example
 * await using out = await makeTempDir('imgtest-suite-out-')
 */
export async function makeTempDir(prefix: string): Promise<TempDir> {
  installCleanupHandlers()
  const path = await mkdtemp(join(tmpdir(), prefix))
  tempDirs.add(path)
  const remove = async () => {
    await rm(path, { recursive: true, force: true })
    tempDirs.delete(path)
  }
  return { path, remove, [Symbol.asyncDispose]: remove }
}

/** Remembers a container to remove on a signal or at exit; installs the handlers on first use. */
export function trackContainer(id: string): void {
  installCleanupHandlers()
  containers.add(id)
}

/** Remembers a network to remove on a signal or at exit (after its containers). */
export function trackNetwork(id: string): void {
  installCleanupHandlers()
  networks.add(id)
}

/** What is tracked right now (for tests and diagnostics). */
export function trackedResources(): { containers: string[]; networks: string[]; tempDirs: string[] } {
  return { containers: [...containers], networks: [...networks], tempDirs: [...tempDirs] }
}

/** Force-removes a container with its anonymous volumes; one already gone is fine. */
export async function removeContainer(id: string): Promise<void> {
  const docker = await runtimeEngine()
  try {
    await docker.getContainer(id).remove({ force: true, v: true })
  } catch (error) {
    // 404: already gone; 409: removal already in progress (the engine finishes it).
    const status = engineStatus(error)
    if (status !== 404 && status !== 409) throw error
  }
  containers.delete(id)
}

/** Removes a network; one already gone is fine. */
export async function removeNetwork(id: string): Promise<void> {
  const docker = await runtimeEngine()
  try {
    await docker.getNetwork(id).remove()
  } catch (error) {
    if (engineStatus(error) !== 404) throw error
  }
  networks.delete(id)
}

/**
 * Removes everything still tracked: containers first (a network with containers cannot go), then
 * networks. Errors are collected, not thrown, so one stuck resource does not keep the others.
 *
 * @example
 * afterAll(() => removeTracked())
 */
export async function removeTracked(): Promise<{
  containers: string[]
  networks: string[]
  errors: unknown[]
}> {
  const removed = { containers: [...containers], networks: [...networks], errors: [] as unknown[] }
  const settle = (results: PromiseSettledResult<void>[]) => {
    for (const result of results) if (result.status === 'rejected') removed.errors.push(result.reason)
  }
  settle(await Promise.allSettled(removed.containers.map(removeContainer)))
  settle(await Promise.allSettled(removed.networks.map(removeNetwork)))
  return removed
}

let installed = false

/**
 * On SIGINT/SIGTERM: remove what this process created (synchronously, so no other listener's
 * process.exit can cut it short), then raise the signal again without imgtest's handler, so the
 * process dies of it as if no handler were there (or other listeners, e.g. a test runner's, see
 * it once more and decide). At exit (process.exit from anyone) the same synchronous removal of
 * what is left. Installed once, by the first tracked resource.
 */
export function installCleanupHandlers(): void {
  if (installed) return
  installed = true
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    const handler = () => {
      process.off(signal, handler)
      removeTrackedSync()
      process.kill(process.pid, signal)
    }
    // First in line, so cleanup is done before another listener can exit the process.
    process.prependListener(signal, handler)
  }
  process.on('exit', () => {
    if (containers.size > 0 || networks.size > 0 || tempDirs.size > 0) removeTrackedSync()
  })
}

/**
 * Removes what is tracked (temp dirs too), plus anything else labelled with this session (a
 * container whose create was in flight), blocking until done: for signal handlers and exit.
 */
export function removeTrackedSync(): void {
  removeSessionSync(engineConnection(), sessionId, [...containers], [...networks], [...tempDirs])
  containers.clear()
  networks.clear()
  tempDirs.clear()
}
