import type Docker from 'dockerode'
import { ImgtestError } from '../errors.ts'

let client: Promise<Docker> | undefined

/**
 * The one Engine API client the runtime shares (DOCKER_HOST or the local socket). dockerode loads
 * on first use: it takes a few hundred ms, which no static check should pay.
 *
 * @example
 * const docker = await runtimeEngine()
 * await docker.getContainer(id).inspect()
 */
export function runtimeEngine(): Promise<Docker> {
  client ??= import('dockerode').then(({ default: Dockerode }) => {
    try {
      return new Dockerode()
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
