import type { Finding } from '../compare/finding.ts'
import { newFinding } from '../compare/finding.ts'
import { ImgtestError } from '../errors.ts'
import { type ImageRefLike, type PairLike, refOf } from './behaviour-pair.ts'
import type { ContainerOptions, ReadySpec } from './container-types.ts'
import { runtimeEngine } from './engine.ts'
import { startContainer } from './start-container.ts'

export interface StopOptions {
  /** When the container is up, so the stop hits a running service (a port, log line, …). */
  ready: ReadySpec
  /** How long the container may take to exit after the stop signal (default 10000, as `docker stop`). */
  deadlineMs?: number
  /** Send this instead of the image's STOPSIGNAL. */
  signal?: string
  /** How to run the container (env, cmd, user, hardened flags…). */
  container?: Omit<ContainerOptions, 'ready'>
}

/** How one container took its stop signal. */
export interface StopMeasurement {
  image: string
  /** The signal sent: the image's STOPSIGNAL (SIGTERM when unset) or the one asked for. */
  signal: string
  /** From the signal to the exit (or to the kill, when not graceful). */
  ms: number
  /** It exited on its own within the deadline; false: it was SIGKILLed. */
  graceful: boolean
  exitCode?: number
  deadlineMs: number
}

/**
 * Starts the image, waits until ready, sends the stop signal and measures how long it takes to
 * exit; after `deadlineMs` it is killed (`graceful: false`).
 *
 * @example
 * const stop = await measureStop('imgtest-fixture/behave-ref:1', { ready: { port: 8080 }, deadlineMs: 2000 })
 * stop.graceful // true; stop.ms // about 20
 */
export async function measureStop(image: ImageRefLike, options: StopOptions): Promise<StopMeasurement> {
  const ref = refOf(image, 'measureStop()')
  const deadlineMs = options.deadlineMs ?? 10_000
  if (!(deadlineMs >= 0) || !Number.isFinite(deadlineMs)) {
    throw new ImgtestError(
      'IMGTEST_USAGE',
      `the stop deadlineMs must be a number of ms ≥ 0, not ${deadlineMs}`,
    )
  }
  const running = await startContainer(ref, { ...options.container, ready: options.ready })
  let signal = options.signal
  try {
    signal ??= await stopSignalOf(running.id)
  } catch (error) {
    await running.stop({ timeoutMs: 0 })
    throw error
  }
  const result = await running.stop({ signal, timeoutMs: deadlineMs })
  return {
    image: ref,
    signal,
    ms: result.ms,
    graceful: result.graceful,
    ...(result.exitCode === undefined ? {} : { exitCode: result.exitCode }),
    deadlineMs,
  }
}

// The signal `docker stop` would send: the container's StopSignal (from the image unless overridden).
async function stopSignalOf(id: string): Promise<string> {
  const info = await (await runtimeEngine()).getContainer(id).inspect()
  const signal = (info.Config as { StopSignal?: string }).StopSignal
  if (!signal) return 'SIGTERM'
  if (/^\d+$/.test(signal)) return signal
  return signal.toUpperCase().startsWith('SIG') ? signal.toUpperCase() : `SIG${signal.toUpperCase()}`
}

const describe = (m: StopMeasurement) =>
  m.graceful
    ? `stopped on ${m.signal} in ${Math.round(m.ms)} ms (exit ${m.exitCode ?? '?'})`
    : `still running ${m.deadlineMs} ms after ${m.signal}, killed`

/**
 * `runtime.stop` when the rebuilt container did not exit within the deadline on its stop signal
 * while upstream did (or, with no upstream, whenever it did not). Upstream failing as well is
 * parity: the rebuild is no worse.
 *
 * @example
 * checkStop(upstreamStop, rebuiltStop) // [] when both stop gracefully
 */
export function checkStop(upstream: StopMeasurement | undefined, rebuilt: StopMeasurement): Finding[] {
  if (rebuilt.graceful) return []
  if (upstream !== undefined && !upstream.graceful) return []
  const value = (m: StopMeasurement) => (m.graceful ? `${Math.round(m.ms)} ms` : 'killed')
  const than = upstream === undefined ? '' : `; upstream ${describe(upstream)}`
  return [
    newFinding({
      check: 'runtime.stop',
      key: rebuilt.signal,
      ...(upstream === undefined ? {} : { upstream: value(upstream) }),
      rebuilt: value(rebuilt),
      message: `${rebuilt.image} did not stop gracefully: ${describe(rebuilt)}${than}`,
    }),
  ]
}

export interface StopParity {
  upstream?: StopMeasurement
  rebuilt: StopMeasurement
  findings: Finding[]
}

/**
 * Graceful stop of a pair (both measured at once) or of one image: `runtime.stop` when the rebuilt
 * one is SIGKILLed after the deadline and upstream is not.
 *
 * @example
 * const { findings } = await stopParity(web, { ready: { port: 8080 }, deadlineMs: 3000 })
 */
export async function stopParity(
  subject: PairLike | ImageRefLike,
  options: StopOptions,
): Promise<StopParity> {
  if (typeof subject === 'object' && subject !== null && 'upstream' in subject && 'rebuilt' in subject) {
    const [upstream, rebuilt] = await Promise.all([
      measureStop(subject.upstream, options),
      measureStop(subject.rebuilt, options),
    ])
    return { upstream, rebuilt, findings: checkStop(upstream, rebuilt) }
  }
  const rebuilt = await measureStop(subject as ImageRefLike, options)
  return { rebuilt, findings: checkStop(undefined, rebuilt) }
}
