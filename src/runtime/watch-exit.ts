import type Docker from 'dockerode'
import { engineStatus } from './engine.ts'

/**
 * Settles with a container's exit code when it next stops. Call it after create and before start:
 * the engine's `wait?condition=next-exit` then sees even an exit right after start. If the wait
 * connection fails, inspect is polled instead; a container removed meanwhile gives -1.
 *
 * @example
 * const exit = watchExit(docker.getContainer(id)) // before starting it
 */
export function watchExit(container: Docker.Container): Promise<number> {
  const waiting = container.wait({ condition: 'next-exit' }) as Promise<{ StatusCode: number }>
  return waiting.then(
    (result) => result.StatusCode,
    () => pollExit(container),
  )
}

async function pollExit(container: Docker.Container): Promise<number> {
  for (;;) {
    try {
      const { State } = await container.inspect()
      if (!State.Running && State.Status !== 'created') return State.ExitCode
    } catch (error) {
      if (engineStatus(error) === 404) return -1
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}
