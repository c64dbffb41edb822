import type { Finding } from '../compare/finding.ts'
import { ImgtestError } from '../errors.ts'
import {
  type CommandCompareOptions,
  type CommandResult,
  compareCommandResults,
} from './behaviour-command-check.ts'
import { type PairLike, refsOf } from './behaviour-pair.ts'
import { demuxLogs } from './container-logs.ts'
import type { ContainerOptions, ReadySpec, RunningContainer } from './container-types.ts'
import { runtimeEngine } from './engine.ts'
import { startContainer } from './start-container.ts'

export interface RunCommandOptions {
  /** How to run the container (env, user, entrypoint, network, hardened flags); `cmd` is the command. */
  container?: Omit<ContainerOptions, 'ready' | 'cmd'>
  /** Give up when the command has not exited after this many ms (default 60000). */
  timeoutMs?: number
}

export interface CommandParityOptions extends RunCommandOptions, CommandCompareOptions {}

export interface CommandParity {
  command: string[]
  upstream: CommandResult
  rebuilt: CommandResult
  findings: Finding[]
}

// One-shot: done once it exits, whatever the code (read from the container's state afterwards).
const oneShot = (timeoutMs: number | undefined): ReadySpec => ({
  exit: 'any',
  ...(timeoutMs === undefined ? {} : { timeoutMs }),
})

/**
 * Runs `command` as the command of a fresh container of `image` (the image's entrypoint stays
 * unless `container.entrypoint` replaces it), waits for it to exit and returns its exit code,
 * stdout and stderr apart. No exec and no shell: it works on any image that has the program.
 *
 * @example
 * const run = await runCommand('imgtest-fixture/behave-ref:1', ['version'])
 * run.exitCode // 0; run.stdout // 'behave 1.0.0\n'
 */
export async function runCommand(
  image: string,
  command: readonly string[],
  options: RunCommandOptions = {},
): Promise<CommandResult> {
  if (!Array.isArray(command) || command.some((arg) => typeof arg !== 'string')) {
    throw new ImgtestError(
      'IMGTEST_USAGE',
      `a command is an array of strings such as ['app', '--version'], not ${JSON.stringify(command)}`,
    )
  }
  let running: RunningContainer
  try {
    running = await startContainer(image, {
      ...options.container,
      cmd: [...command],
      ready: oneShot(options.timeoutMs),
    })
  } catch (error) {
    const unstartable = cannotExec(error)
    if (unstartable === undefined) throw error
    return { image, ...unstartable, stdout: '' }
  }
  try {
    const container = (await runtimeEngine()).getContainer(running.id)
    const [info, stdout, stderr] = await Promise.all([
      container.inspect(),
      container.logs({ stdout: true, stderr: false, follow: false }),
      container.logs({ stdout: false, stderr: true, follow: false }),
    ])
    return {
      image,
      exitCode: info.State.ExitCode,
      stdout: demuxLogs(stdout),
      stderr: demuxLogs(stderr),
      hostname: info.Config.Hostname,
      containerId: running.id,
    }
  } finally {
    await running.stop({ timeoutMs: 0 })
  }
}

/**
 * A program the runtime cannot exec (missing, not executable) fails the container's start; like
 * `docker run`, that is exit 127 (not found) or 126 (not executable) with the reason on stderr, so
 * a rebuilt image that lost the program is a difference rather than an error.
 */
function cannotExec(error: unknown): { exitCode: number; stderr: string } | undefined {
  const text = String((error as { cause?: Error })?.cause?.message ?? (error as Error)?.message ?? '')
  const exec = /unable to start container process: (exec: .*?)(?:: unknown|$)/m.exec(text)
  if (exec === null) return undefined
  const reason = exec[1] as string
  if (/no such file or directory|executable file not found/.test(reason))
    return { exitCode: 127, stderr: `${reason}\n` }
  if (/permission denied/.test(reason)) return { exitCode: 126, stderr: `${reason}\n` }
  return undefined
}

/**
 * Runs the same command in a fresh container of each image of the pair (both at once) and
 * compares exit code, stdout and stderr after normalisation: `runtime.command.exit`,
 * `runtime.command.stdout`, `runtime.command.stderr`.
 *
 * @example
 * const { findings } = await runInBoth(pair({ upstream: 'app:1', rebuilt: 'app:1-hardened' }), ['app', '--version'])
 * const quiet = await runInBoth(web, ['info'], { stderr: false, normalize: { extra: [/pid \d+/] } })
 */
export async function runInBoth(
  pair: PairLike,
  command: readonly string[],
  options: CommandParityOptions = {},
): Promise<CommandParity> {
  const refs = refsOf(pair, 'runInBoth()')
  const [upstream, rebuilt] = await Promise.all([
    runCommand(refs.upstream, command, options),
    runCommand(refs.rebuilt, command, options),
  ])
  return {
    command: [...command],
    upstream,
    rebuilt,
    findings: compareCommandResults(command, upstream, rebuilt, options),
  }
}
