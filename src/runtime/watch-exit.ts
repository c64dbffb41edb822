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
  const stop = { done: false }
  // The wait request can reach the engine after the start call, and then miss an exit that came
  // at once (a quick one-shot command): inspect polling catches that exit too.
  const exit = Promise.race([
    waiting.then(
      (result) => result.StatusCode,
      () => pollExit(container, stop),
    ),
    pollExit(container, stop),
  ])
  void exit.then(() => {
    stop.done = true
  })
  return exit
}

// Every 100 ms for the first seconds, when one-shot containers exit, then every second.
async function pollExit(container: Docker.Container, stop: { done: boolean }): Promise<number> {
  const started = performance.now()
  while (!stop.done) {
    try {
      const { State } = await container.inspect()
      if (!State.Running && State.Status !== 'created') return State.ExitCode
    } catch (error) {
      if (engineStatus(error) === 404) return -1
    }
    await new Promise((resolve) => setTimeout(resolve, performance.now() - started < 5000 ? 100 : 1000))
  }
  return new Promise<number>(() => {})
}
