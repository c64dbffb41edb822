import { type Finding, newFinding } from '../../src/compare/finding.ts'
import type { ImageConfig } from '../../src/image/snapshot.ts'
import { runCommand } from '../../src/runtime/behaviour-command.ts'
import type { ContainerOptions } from '../../src/runtime/container-types.ts'
import { runtimeEngine } from '../../src/runtime/engine.ts'
import { startContainer } from '../../src/runtime/start-container.ts'
import { checkCommand } from './check-command.ts'
import { expandEnv } from './expand-env.ts'
import type { CommandTest, KeyValue } from './structure-test-schema.ts'

export interface CommandTestOptions {
  container?: Omit<ContainerOptions, 'ready' | 'cmd' | 'entrypoint'>
  timeoutMs?: number
}

// Values may name the image's own env, as CST expands them: `PATH=$PATH:/opt/bin`.
const envOf = (pairs: readonly KeyValue[], config: ImageConfig): Record<string, string> =>
  Object.fromEntries(pairs.map((pair) => [pair.key, expandEnv(pair.value ?? '', config)]))

/**
 * Runs one CST commandTest on the engine image `ref` and returns its `structure.command` findings.
 * As CST's docker driver does: the entrypoint is cleared, each `setup` command runs in its own
 * container which is then committed and the next step runs on that image, and `teardown` is
 * skipped (nothing outlives the test). Committed images are removed afterwards. Unlike CST, a setup
 * step that exits non-zero fails the test with its stderr rather than silently.
 *
 * @example
 * await runCommandTest('app:1', config, { name: 'v', command: 'app', args: ['--version'], expectedOutput: ['1\\.0'] }, [])
 */
export async function runCommandTest(
  ref: string,
  config: ImageConfig,
  test: CommandTest,
  globalEnv: readonly KeyValue[],
  options: CommandTestOptions = {},
): Promise<Finding[]> {
  const env = { ...options.container?.env, ...envOf(globalEnv, config), ...envOf(test.envVars ?? [], config) }
  const container = { ...options.container, env, entrypoint: [] }
  const timeoutMs = options.timeoutMs ?? 60_000
  const committed: string[] = []
  try {
    let current = ref
    for (const step of test.setup ?? []) {
      const failed = (why: string) => [
        newFinding({
          check: 'structure.command',
          key: test.name,
          message: `command test ${test.name}: setup ${step.join(' ')} ${why}`,
        }),
      ]
      // A setup step is a command test of its own: a missing program is exit 127, not an error.
      const probe = step.length === 0 ? undefined : await runSetupStep(current, step, container, timeoutMs)
      if (probe === undefined) return failed('is empty')
      if ('exitCode' in probe) return failed(`exited ${probe.exitCode}: ${JSON.stringify(probe.stderr)}`)
      committed.push(probe.image)
      current = probe.image
    }
    const result = await runCommand(current, [test.command, ...(test.args ?? [])], { container, timeoutMs })
    return checkCommand(test, { ...result, image: ref })
  } finally {
    const engine = await runtimeEngine()
    // Newest first: each committed image is the parent of the next.
    for (const id of committed.reverse())
      await engine
        .getImage(id)
        .remove({ force: true })
        .catch(() => {})
  }
}

async function runSetupStep(
  image: string,
  step: string[],
  container: Omit<ContainerOptions, 'ready' | 'cmd'>,
  timeoutMs: number,
): Promise<{ image: string } | { exitCode: number; stderr: string }> {
  let running: Awaited<ReturnType<typeof startContainer>>
  try {
    running = await startContainer(image, { ...container, cmd: step, ready: { exit: 'any', timeoutMs } })
  } catch (error) {
    // Let runCommand say what a program that cannot start looks like (exit 126/127 and the reason).
    const run = await runCommand(image, step, { container, timeoutMs }).catch(() => undefined)
    if (run !== undefined && run.exitCode !== 0) return { exitCode: run.exitCode, stderr: run.stderr }
    throw error
  }
  try {
    const state = await running.state()
    if (state.exitCode !== 0) {
      const logs = await running.logs()
      return { exitCode: state.exitCode ?? -1, stderr: logs }
    }
    const engine = await runtimeEngine()
    const { Id } = (await engine.getContainer(running.id).commit({})) as { Id: string }
    return { image: Id }
  } finally {
    await running.stop({ timeoutMs: 0 })
  }
}
