import type { Finding } from '../compare/finding.ts'
import { newFinding } from '../compare/finding.ts'
import { resolveUser } from '../compare/resolve-user.ts'
import { ImgtestError } from '../errors.ts'
import type { ImageContents } from '../image/image-contents.ts'
import { readAccounts } from '../image/passwd.ts'
import type { ImageSnapshot } from '../image/snapshot.ts'
import type { ContainerOptions, ReadySpec, RunningContainer } from './container-types.ts'
import { ContainerNotReadyError } from './not-ready-error.ts'
import { httpAttempt, tcpAttempt } from './ready-probes.ts'
import { startContainer } from './start-container.ts'

/** A hardened way to run an image, with its finding id and the run options it adds. */
export type HardenedMode = 'nonroot' | 'readonly' | 'capabilities'

export interface HardenedRunOptions {
  /** When the container counts as ready; default: TCP on the image's lowest exposed TCP port. */
  ready?: ReadySpec
  /** Paths that stay writable (tmpfs) under a read-only root. */
  writable?: string[]
  /** How long it must stay up (and still answer) after ready; default 1000 ms. */
  stayUpMs?: number
}

const DEFAULT_STAY_UP_MS = 1000

/** The run options each mode adds to the image's own config. */
export function hardenedRunOptions(mode: HardenedMode, options: HardenedRunOptions = {}): ContainerOptions {
  if (mode === 'readonly') return { readOnlyRootfs: true, writable: options.writable ?? [] }
  if (mode === 'capabilities') return { capDrop: ['ALL'], noNewPrivileges: true }
  return {}
}

/**
 * The ready spec a hardened check uses: the caller's, else TCP on the image's lowest exposed TCP
 * port, else a usage error naming the matcher (a container with no port needs to be told).
 *
 * @example
 * defaultReady(snapshot, 'toRunAsNonRoot') // { port: 8080 }
 */
export function defaultReady(snapshot: ImageSnapshot, matcher: string, ready?: ReadySpec): ReadySpec {
  if (ready !== undefined) return ready
  const ports = Object.keys(snapshot.config.ExposedPorts ?? {})
    .filter((key) => !key.endsWith('/udp') && !key.endsWith('/sctp'))
    .map((key) => Number.parseInt(key, 10))
    .filter((port) => Number.isInteger(port))
    .sort((a, b) => a - b)
  const port = ports[0]
  if (port !== undefined) return { port }
  throw new ImgtestError(
    'IMGTEST_USAGE',
    `${matcher}() cannot tell when ${snapshot.ref} is ready: it exposes no TCP port; pass { ready: { port } | { log } | { healthcheck: true } | { exit } }`,
  )
}

/**
 * `runtime.nonroot` of one image: its USER resolves (against its own /etc/passwd and /etc/group)
 * to a non-zero uid, and a container started as configured gets ready and stays up.
 *
 * @example
 * const findings = await checkNonRoot(await image('example/web-hardened:1').contents(), { port: 8080 })
 */
export async function checkNonRoot(
  contents: ImageContents,
  ready: ReadySpec,
  options: HardenedRunOptions = {},
): Promise<Finding[]> {
  const { snapshot, index } = contents
  const { passwd, group } = readAccounts(index)
  const user = snapshot.config.User
  const resolved = resolveUser(user, passwd?.entries, group?.entries)
  const shown = user ? `USER ${JSON.stringify(user)}` : 'no USER'
  if (resolved.problem !== undefined) {
    return [
      newFinding({
        check: 'runtime.nonroot',
        key: 'user',
        upstream: 'a non-zero uid',
        rebuilt: user ?? '',
        message: `${shown} cannot run: ${resolved.problem}`,
      }),
    ]
  }
  const findings: Finding[] = []
  if (resolved.uid === 0) {
    findings.push(
      newFinding({
        check: 'runtime.nonroot',
        key: 'user',
        upstream: 'a non-zero uid',
        rebuilt: `uid 0${resolved.name ? ` (${resolved.name})` : ''}`,
        message: `${shown}: the container runs as root (uid 0); set USER to a non-root uid`,
      }),
    )
  }
  findings.push(...(await checkRunMode(snapshot.ref, 'nonroot', ready, options)))
  return findings
}

/**
 * Starts the image the hardened way (`readonly`: read-only root plus tmpfs at `writable`;
 * `capabilities`: cap-drop ALL and no-new-privileges; `nonroot`: as configured) and reports a
 * `runtime.<mode>` finding when it does not get ready, or does not stay up and answering.
 *
 * @example
 * await checkRunMode('example/web:1', 'capabilities', { port: 8080 }) // [] when it still serves
 */
export async function checkRunMode(
  ref: string,
  mode: HardenedMode,
  ready: ReadySpec,
  options: HardenedRunOptions = {},
): Promise<Finding[]> {
  const check = `runtime.${mode}`
  const how = describeMode(mode, options)
  let container: RunningContainer
  try {
    container = await startContainer(ref, { ...hardenedRunOptions(mode, options), ready })
  } catch (error) {
    if (!(error instanceof ContainerNotReadyError)) throw error
    const logs =
      error.logs.length === 0 ? 'no log output' : `last log lines: ${error.logs.slice(-5).join(' | ')}`
    return [
      newFinding({
        check,
        key: 'ready',
        upstream: 'ready',
        rebuilt: error.state,
        message: `${how}: ${error.fact}; ${logs}`,
      }),
    ]
  }
  try {
    const trouble =
      'exit' in ready ? undefined : await staysUp(container, ready, options.stayUpMs ?? DEFAULT_STAY_UP_MS)
    if (trouble === undefined) return []
    const logs = (await container.logs()).trim().split('\n').slice(-5).join(' | ')
    return [
      newFinding({
        check,
        key: 'stays up',
        upstream: 'up and answering',
        rebuilt: trouble,
        message: `${how}: ready after ${Math.round(container.readyAfterMs)} ms, then ${trouble}${logs ? `; last log lines: ${logs}` : ''}`,
      }),
    ]
  } finally {
    await container.stop({ timeoutMs: 0 })
  }
}

// Ready once is not enough: a server that crashes on its first write under a read-only root
// must fail too. Wait, then ask the engine and the port again.
async function staysUp(
  container: RunningContainer,
  ready: ReadySpec,
  ms: number,
): Promise<string | undefined> {
  await new Promise((resolve) => setTimeout(resolve, ms))
  const state = await container.state()
  if (!state.running)
    return `exited with code ${state.exitCode}${state.oomKilled ? ' (OOM-killed)' : ''} within ${ms} ms`
  if (state.health === 'unhealthy') return `turned unhealthy within ${ms} ms`
  if (!('port' in ready)) return undefined
  if (ready.http) {
    const answer = await httpAttempt(container.url(ready.port, ready.http.path ?? '/'))
    if (typeof answer === 'string') return `stopped answering HTTP (${answer})`
    return undefined
  }
  const outcome = await tcpAttempt(container.host, container.mappedPort(ready.port))
  return typeof outcome === 'number' ? undefined : `stopped listening on port ${ready.port} (${outcome})`
}

function describeMode(mode: HardenedMode, options: HardenedRunOptions): string {
  if (mode === 'readonly') {
    const writable = options.writable?.length
      ? ` and tmpfs at ${options.writable.join(', ')}`
      : ' and no writable path'
    return `with a read-only root${writable}`
  }
  if (mode === 'capabilities') return 'with every capability dropped and no-new-privileges'
  return 'as its configured user'
}
