import type Docker from 'dockerode'
import { ImgtestError } from '../errors.ts'
import { lastLines, readLogs } from './container-logs.ts'

/** How many log lines a not-ready message carries. */
const LOG_LINES = 20

/**
 * The IMGTEST_NOT_READY error of a container: the measured fact, then the container's state
 * (running, exited with its code, OOM-killed) and its last log lines, read before it is removed.
 *
 * @example
 * throw await notReadyError(container, 'example/web:1', 'no listener on container port 8080 after 3000 ms')
 */
export async function notReadyError(
  container: Docker.Container | undefined,
  image: string,
  fact: string,
  cause?: unknown,
): Promise<ImgtestError> {
  let state = 'never created'
  let logs: string[] = []
  if (container !== undefined) {
    const [inspected, text] = await Promise.allSettled([container.inspect(), readLogs(container)])
    state =
      inspected.status === 'fulfilled' ? describeState(inspected.value.State) : 'unknown (inspect failed)'
    logs = text.status === 'fulfilled' ? lastLines(text.value, LOG_LINES) : ['(logs unavailable)']
  }
  const tail =
    logs.length === 0
      ? 'no log output'
      : `last ${logs.length} log lines:\n${logs.map((l) => `  | ${l}`).join('\n')}`
  return new ImgtestError(
    'IMGTEST_NOT_READY',
    `container of ${image} ${fact}; state: ${state}; check the ready option and the logs below; ${tail}`,
    { cause },
  )
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
