import type Docker from 'dockerode'
import { ImgtestError } from '../errors.ts'
import { lastLines, readLogs } from './container-logs.ts'

/** How many log lines a not-ready message carries. */
const LOG_LINES = 20

/** IMGTEST_NOT_READY with its parts kept apart, for callers that report them elsewhere (findings). */
export class ContainerNotReadyError extends ImgtestError {
  /** The measured fact, e.g. `not ready after 3000 ms: no listener on container port 8080 (…)`. */
  readonly fact: string
  /** The container's state when it was given up: `running`, `exited with code 3`, … */
  readonly state: string
  /** Its last log lines (at most 20). */
  readonly logs: readonly string[]

  constructor(
    image: string,
    parts: { fact: string; state: string; logs: readonly string[] },
    cause?: unknown,
  ) {
    const { fact, state, logs } = parts
    const tail =
      logs.length === 0
        ? 'no log output'
        : `last ${logs.length} log lines:\n${logs.map((l) => `  | ${l}`).join('\n')}`
    super(
      'IMGTEST_NOT_READY',
      `container of ${image} ${fact}; state: ${state}; check the ready option and the logs below; ${tail}`,
      {
        cause,
      },
    )
    this.fact = fact
    this.state = state
    this.logs = logs
  }
}

/**
 * The IMGTEST_NOT_READY error of a container: the measured fact, then the container's state
 * (running, exited with its code, OOM-killed) and its last log lines, read before it is removed.
 *
 * @example
 * throw await notReadyError(container, 'example/web:1', 'not ready after 3000 ms: no listener on container port 8080')
 */
export async function notReadyError(
  container: Docker.Container | undefined,
  image: string,
  fact: string,
  cause?: unknown,
): Promise<ContainerNotReadyError> {
  let state = 'never created'
  let logs: string[] = []
  if (container !== undefined) {
    const [inspected, text] = await Promise.allSettled([container.inspect(), readLogs(container)])
    state =
      inspected.status === 'fulfilled' ? describeState(inspected.value.State) : 'unknown (inspect failed)'
    logs = text.status === 'fulfilled' ? lastLines(text.value, LOG_LINES) : ['(logs unavailable)']
  }
  return new ContainerNotReadyError(image, { fact, state, logs }, cause)
}

/** One phrase for a container state: `running`, `exited with code 3`, `exited with code 137 (OOM-killed)`. */
export function describeState(state: Docker.ContainerInspectInfo['State']): string {
  const oom = state.OOMKilled ? ' (OOM-killed)' : ''
  const health = state.Health?.Status ? `, health ${state.Health.Status}` : ''
  if (state.Running) return `running${health}${oom}`
  if (state.Status === 'created') return `created, never started${state.Error ? `: ${state.Error}` : ''}`
  const error = state.Error ? `: ${state.Error}` : ''
  return `${state.Status} with code ${state.ExitCode}${oom}${error}`
}
