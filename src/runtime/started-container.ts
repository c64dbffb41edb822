import type Docker from 'dockerode'
import { ImgtestError } from '../errors.ts'
import { removeContainer } from './cleanup.ts'
import { readLogs } from './container-logs.ts'
import { sampleStats } from './container-stats.ts'
import type { ResourceSample, RunningContainer } from './container-types.ts'
import { engineStatus } from './engine.ts'

/** What `startContainer` knows once the container is ready. */
export interface StartedContainerFields {
  docker: Docker
  id: string
  image: string
  readyAfterMs: number
  /** Container port (tcp) → host port on 127.0.0.1. */
  ports: ReadonlyMap<number, number>
  /** Settles with the exit code when the container stops. */
  exit: Promise<number>
  /** The image's STOPSIGNAL, if it has one. */
  stopSignal?: string
}

type StopResult = { ms: number; graceful: boolean; exitCode?: number }

/** A running container imgtest started; `stop()` (or `await using`) removes it. */
export class StartedContainer implements RunningContainer {
  readonly id: string
  readonly image: string
  readonly readyAfterMs: number
  readonly host = '127.0.0.1'
  readonly #fields: StartedContainerFields
  readonly #container: Docker.Container
  #stopped: Promise<StopResult> | undefined

  constructor(fields: StartedContainerFields) {
    this.#fields = fields
    this.#container = fields.docker.getContainer(fields.id)
    this.id = fields.id
    this.image = fields.image
    this.readyAfterMs = fields.readyAfterMs
  }

  mappedPort(port: number): number {
    const hostPort = this.#fields.ports.get(port)
    if (hostPort === undefined) {
      const published = [...this.#fields.ports.keys()].join(', ') || 'none'
      throw new ImgtestError(
        'IMGTEST_USAGE',
        `container port ${port} of ${this.image} is not published (published: ${published}); list it in the ports option`,
      )
    }
    return hostPort
  }

  url(port: number, path = '/'): string {
    return `http://${this.host}:${this.mappedPort(port)}${path.startsWith('/') ? path : `/${path}`}`
  }

  logs(): Promise<string> {
    return readLogs(this.#container)
  }

  stats(): Promise<ResourceSample> {
    return sampleStats(this.#container)
  }

  async state(): Promise<{ running: boolean; exitCode?: number; oomKilled: boolean; health?: string }> {
    const { State } = await this.#container.inspect()
    return {
      running: State.Running,
      ...(State.Running ? {} : { exitCode: State.ExitCode }),
      oomKilled: State.OOMKilled,
      ...(State.Health?.Status ? { health: State.Health.Status } : {}),
    }
  }

  /**
   * Sends the stop signal (the image's STOPSIGNAL, else SIGTERM), waits up to `timeoutMs` for the
   * exit, kills it if still running, then removes it. Calling it again returns the first result.
   */
  stop(options: { signal?: string; timeoutMs?: number } = {}): Promise<StopResult> {
    this.#stopped ??= this.#stop(
      options.signal ?? this.#fields.stopSignal ?? 'SIGTERM',
      options.timeoutMs ?? 10_000,
    )
    return this.#stopped
  }

  async #stop(signal: string, timeoutMs: number): Promise<StopResult> {
    const started = performance.now()
    try {
      const { State } = await this.#container.inspect()
      if (!State.Running) return { ms: 0, graceful: true, exitCode: State.ExitCode }
      await this.#kill(signal)
      let timer: NodeJS.Timeout | undefined
      const deadline = new Promise<undefined>((resolve) => {
        timer = setTimeout(() => resolve(undefined), timeoutMs)
      })
      let exitCode = await Promise.race([this.#fields.exit, deadline])
      clearTimeout(timer)
      const graceful = exitCode !== undefined
      if (!graceful) {
        await this.#kill('SIGKILL')
        exitCode = await this.#fields.exit
      }
      return { ms: performance.now() - started, graceful, exitCode }
    } finally {
      await removeContainer(this.id)
    }
  }

  async #kill(signal: string): Promise<void> {
    try {
      await this.#container.kill({ signal })
    } catch (error) {
      // 409: it exited on its own meanwhile; the exit promise has the code.
      if (engineStatus(error) !== 409) throw error
    }
  }

  /** `await using c = await startContainer(…)`: a quick stop (no grace period) and removal. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop({ timeoutMs: 0 })
  }
}
