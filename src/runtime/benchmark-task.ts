import { ImgtestError } from '../errors.ts'
import { execInContainer } from './benchmark-exec.ts'
import type { ReadySpec, RunningContainer } from './container-types.ts'

/**
 * What a benchmark measures, the same on both images:
 * - `{ http: { port, path?, method? } }`: one request from the host to the published port, body read;
 * - `{ command: [...] }`: one run of a program inside the container (`docker exec`), exit code 0;
 * - a function given the running container, for anything else (a client library, several calls).
 */
export type BenchmarkTask =
  | { http: { port: number; path?: string; method?: string } }
  | { command: string[] }
  | ((container: RunningContainer) => Promise<void>)

/** One iteration of a task against one container. */
export type Iteration = () => Promise<void>

/** A short name for messages: `GET :8080/cgi-bin/slow`, `exec [wget -q …]`, `function`. */
export function describeTask(task: BenchmarkTask): string {
  if (typeof task === 'function') return `function ${task.name || '(anonymous)'}`
  if ('http' in task) return `${task.http.method ?? 'GET'} :${task.http.port}${task.http.path ?? '/'}`
  return `exec [${task.command.join(' ')}]`
}

/** The ready spec a task implies when the caller gave none: its HTTP port accepting connections. */
export function defaultReady(task: BenchmarkTask, ready: ReadySpec | undefined, where: string): ReadySpec {
  if (ready !== undefined) return ready
  if (typeof task === 'object' && 'http' in task) return { port: task.http.port }
  throw new ImgtestError(
    'IMGTEST_USAGE',
    `${where}: a command or function task needs the ready option, e.g. { ready: { port: 8080 } }`,
  )
}

/** Ports the container must publish for the task (the ready port is published anyway). */
export function taskPorts(task: BenchmarkTask): number[] {
  return typeof task === 'object' && 'http' in task ? [task.http.port] : []
}

/**
 * Checks `task` with `container` and returns its iteration. The check runs it once, so a program
 * missing in the image, an HTTP error or a throwing function fails here, in one clear line, instead
 * of as a broken timing.
 *
 * @example
 * const iteration = await prepareIteration({ http: { port: 8080 } }, container)
 * await iteration()
 */
export async function prepareIteration(task: BenchmarkTask, container: RunningContainer): Promise<Iteration> {
  const iteration = iterationOf(task, container)
  try {
    await iteration()
  } catch (error) {
    if (error instanceof ImgtestError) throw error
    throw failed(task, container, (error as Error).message ?? String(error), error)
  }
  return iteration
}

function iterationOf(task: BenchmarkTask, container: RunningContainer): Iteration {
  if (typeof task === 'function') return async () => task(container)
  if ('http' in task) {
    const url = container.url(task.http.port, task.http.path ?? '/')
    const method = task.http.method ?? 'GET'
    return async () => {
      const response = await fetch(url, { method })
      await response.arrayBuffer()
      if (response.status >= 400) {
        throw failed(task, container, `answered HTTP ${response.status}; benchmark a path that succeeds`)
      }
    }
  }
  const command = task.command
  return async () => {
    const outcome = await execInContainer(container.id, command)
    if (outcome.exitCode !== 0) {
      const said = (outcome.stderr || outcome.stdout).trim().split('\n').slice(-1)[0] ?? ''
      const hint =
        outcome.exitCode === 126 || outcome.exitCode === 127
          ? `; the image has no runnable ${command[0]} (hardened images often have none): benchmark over http or with a function`
          : ''
      throw failed(task, container, `exited ${outcome.exitCode}${said ? `: ${said}` : ''}${hint}`)
    }
  }
}

function failed(
  task: BenchmarkTask,
  container: RunningContainer,
  fact: string,
  cause?: unknown,
): ImgtestError {
  return new ImgtestError(
    'IMGTEST_BENCHMARK_FAILED',
    `benchmark ${describeTask(task)} in ${container.image} ${fact}`,
    {
      cause,
    },
  )
}
