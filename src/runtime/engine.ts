import type Docker from 'dockerode'
import { ImgtestError } from '../errors.ts'

let client: Promise<Docker> | undefined
let connection: EngineConnection | undefined

/** Where the engine listens, for the synchronous cleanup at exit (which cannot use dockerode). */
export interface EngineConnection {
  socketPath?: string
  host?: string
  port?: number
  /** `http` or `https`; the synchronous cleanup handles sockets and plain http. */
  protocol?: string
}

/** The engine address of the shared client, once it exists. */
export function engineConnection(): EngineConnection | undefined {
  return connection
}

async function connectionOf(docker: Docker): Promise<EngineConnection> {
  const modem = docker.modem as unknown as {
    getSocketPath?: () => Promise<string | undefined>
    host?: string
    port?: number | string
    protocol?: string
  }
  const socketPath = await modem.getSocketPath?.()
  if (socketPath) return { socketPath }
  return {
    ...(modem.host ? { host: modem.host } : {}),
    ...(modem.port ? { port: Number(modem.port) } : {}),
    ...(modem.protocol ? { protocol: modem.protocol } : {}),
  }
}

/**
 * The one Engine API client the runtime shares (DOCKER_HOST or the local socket). dockerode loads
 * on first use: it takes a few hundred ms, which no static check should pay.
 *
 * @example
 * const docker = await runtimeEngine()
 * await docker.getContainer(id).inspect()
 */
export function runtimeEngine(): Promise<Docker> {
  client ??= import('dockerode').then(async ({ default: Dockerode }) => {
    try {
      const docker = new Dockerode()
      connection = await connectionOf(docker)
      return docker
    } catch (error) {
      throw new ImgtestError(
        'IMGTEST_DAEMON_UNREACHABLE',
        `DOCKER_HOST=${process.env.DOCKER_HOST ?? ''} is not an engine address; set it like unix:///var/run/docker.sock`,
        { cause: error },
      )
    }
  })
  return client
}

/** The HTTP status of an Engine API error (dockerode sets `statusCode`), if any. */
export function engineStatus(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown } | null)?.statusCode
  return typeof status === 'number' ? status : undefined
}
