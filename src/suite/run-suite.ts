import { ImgtestError } from '../errors.ts'
import { runCommand } from '../runtime/behaviour-command.ts'
import type { CommandResult } from '../runtime/behaviour-command-check.ts'
import { runCases } from './run-cases.ts'
import { runDockerLibrary } from './run-docker-library.ts'
import { runPythonSuite } from './run-python-suite.ts'
import { runScriptSuite } from './run-script-suite.ts'
import type {
  CommandCase,
  CommandSuite,
  SuiteCase,
  SuiteDefinition,
  SuiteRun,
  SuiteRunContext,
} from './suite-types.ts'

/** Default budget of a whole suite run. */
export const DEFAULT_SUITE_TIMEOUT_MS = 300_000

// Output kept per case in `output`; the log keeps everything.
const MAX_OUTPUT_CHARS = 2000

/**
 * Runs a suite on one image and reads every case's outcome; `context.upstream` is the image
 * tests are taken from when the suite takes them from the upstream (default: this image). The run has one time budget
 * (`suite.timeoutMs`): a case still running when it is spent is stopped and removed, counts as
 * `error` with the reason, and the cases after it are `error` (not run). Nothing is left running.
 *
 * @example
 * const run = await runSuite('example/web:1', suites.command([{ name: 'busybox', command: ['busybox', 'true'] }]))
 * run.cases // [{ name: 'busybox', outcome: 'pass' }]
 */
export async function runSuite(
  image: string,
  suite: SuiteDefinition,
  context: SuiteRunContext = {},
): Promise<SuiteRun> {
  if (suite?.kind === 'script')
    return runScriptSuite(image, suite, suite.timeoutMs ?? DEFAULT_SUITE_TIMEOUT_MS, context)
  if (suite?.kind === 'python')
    return runPythonSuite(image, suite, context, suite.timeoutMs ?? DEFAULT_SUITE_TIMEOUT_MS)
  if (suite?.kind === 'docker-library')
    return runDockerLibrary(image, suite, suite.timeoutMs ?? DEFAULT_SUITE_TIMEOUT_MS, context)
  if (suite?.kind !== 'command') {
    throw new ImgtestError(
      'IMGTEST_USAGE',
      `runSuite(${image}) got a suite of unknown kind ${JSON.stringify((suite as { kind?: unknown })?.kind)}; build one with suites.command([...]) or { kind: 'script', … }`,
    )
  }
  return runCommandSuite(image, suite, context)
}

async function runCommandSuite(
  image: string,
  suite: CommandSuite,
  context: SuiteRunContext,
): Promise<SuiteRun> {
  const budget = suite.timeoutMs ?? DEFAULT_SUITE_TIMEOUT_MS
  const { cases, logs, timedOut, parallel } = await runCases({
    image,
    suite: suite.name,
    names: suite.cases.map((c) => c.name),
    ...(suite.parallel === undefined ? {} : { parallel: suite.parallel }),
    budget,
    onProgress: context.onProgress,
    run: async (index, left) => {
      const spec = suite.cases[index] as CommandCase
      const header = `--- ${spec.name}: ${JSON.stringify(spec.command)}`
      let result: CommandResult
      try {
        result = await runCommand(image, spec.command, { container: suite.container ?? {}, timeoutMs: left })
      } catch (error) {
        // runCommand's one-shot container not exiting in time is IMGTEST_NOT_READY; it is already removed.
        if (!(error instanceof ImgtestError) || error.code !== 'IMGTEST_NOT_READY') throw error
        const output = `stopped: still running when the suite's timeout of ${budget} ms ran out`
        return {
          case: { name: spec.name, outcome: 'error', output },
          log: [header, output, error.message].join('\n'),
          timedOut: true,
        }
      }
      const log = [
        header,
        `exit ${result.exitCode}`,
        `stdout:\n${result.stdout}`,
        `stderr:\n${result.stderr}`,
      ]
      return { case: judgeCommand(spec, result), log: log.join('\n') }
    },
  })
  const log = [`suite ${suite.name} on ${image} (timeout ${budget} ms, ${parallel} at a time)`, ...logs]
  return { image, suite: suite.name, cases, log: `${log.join('\n')}\n`, timedOut }
}

/** A command case's outcome from its result and expectation (exit 0 by default). */
export function judgeCommand(spec: CommandCase, result: CommandResult): SuiteCase {
  const problems: string[] = []
  const exit = spec.expect?.exit ?? 0
  if (result.exitCode !== exit) problems.push(`exit code ${result.exitCode}, expected ${exit}`)
  const want = spec.expect?.stdout
  if (typeof want === 'string' && result.stdout.trimEnd() !== want.trimEnd()) {
    problems.push(`stdout ${JSON.stringify(clip(result.stdout))}, expected ${JSON.stringify(want)}`)
  } else if (want instanceof RegExp && !want.test(result.stdout)) {
    problems.push(`stdout ${JSON.stringify(clip(result.stdout))} does not match ${String(want)}`)
  }
  if (problems.length === 0) return { name: spec.name, outcome: 'pass' }
  const stderr = result.stderr.trim() === '' ? '' : `; stderr: ${clip(result.stderr.trim())}`
  return { name: spec.name, outcome: 'fail', output: `${problems.join('; ')}${stderr}` }
}

function clip(text: string): string {
  return text.length <= MAX_OUTPUT_CHARS ? text : `${text.slice(0, MAX_OUTPUT_CHARS)}…`
}
