import { chmod, readFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { ImgtestError } from '../errors.ts'
import { runCommand } from '../runtime/behaviour-command.ts'
import type { CommandResult } from '../runtime/behaviour-command-check.ts'
import { makeTempDir } from '../runtime/cleanup.ts'
import { copyFromImage } from './copy-from-image.ts'
import { parseJunit } from './parse-junit.ts'
import { parseRegrtest, parseRegrtestJunit } from './parse-regrtest.ts'
import { parseTap } from './parse-tap.ts'
import { outputProgress } from './suite-progress.ts'
import type { ScriptSuite, SuiteCase, SuiteRun, SuiteRunContext } from './suite-types.ts'

/** Where a script suite's tests and writable output directory are mounted by default. */
export const TESTS_DIR = '/imgtest/tests'
export const OUT_DIR = '/imgtest/out'
/** Where a regrtest run writes its per-method JUnit XML (`--junit-xml`), under the output dir. */
export const REGRTEST_JUNIT = 'regrtest.xml'

/**
 * Runs a script suite (see ScriptSuite) on one image within its budget and reads its cases.
 * The output directory is a fresh host temp dir, removed afterwards (on a signal too).
 *
 * @example
 * const run = await runScriptSuite('app:1', { kind: 'script', name: 'unit', tests: { source: './t' }, command: ['sh', '/imgtest/tests/run.sh'], results: { junit: 'report.xml' } }, 300_000)
 */
export async function runScriptSuite(
  image: string,
  suite: ScriptSuite,
  budget: number,
  context: SuiteRunContext & {
    /** What is left of the budget when earlier steps (a probe) spent some; reports name the budget. */
    remaining?: number
  } = {},
): Promise<SuiteRun> {
  await using outDir = await makeTempDir('imgtest-suite-out-')
  const out = outDir.path
  await using copied =
    suite.tests && 'fromImage' in suite.tests
      ? await copyFromImage(suite.tests.fromImage, suite.tests.path)
      : undefined
  // The suite may run as any user: the output directory must be writable by it.
  await chmod(out, 0o777)
  const target = suite.tests?.target ?? TESTS_DIR
  const container = suite.container ?? {}
  const mounts = [
    ...(container.mounts ?? []),
    ...(suite.tests
      ? [
          {
            source: copied?.path ?? resolve((suite.tests as { source: string }).source),
            target,
            readOnly: true,
          },
        ]
      : []),
    { source: out, target: OUT_DIR },
  ]
  const env = { ...container.env, IMGTEST_OUT: OUT_DIR, ...(suite.tests ? { IMGTEST_TESTS: target } : {}) }
  const log = [`suite ${suite.name} on ${image} (timeout ${budget} ms): ${JSON.stringify(suite.command)}`]
  const report = context.onProgress
  report?.({ image, suite: suite.name, done: 0 })
  // Output still streaming in after the container is gone must not count after the final count.
  let streaming = true
  const counter =
    report &&
    outputProgress(suite.results, (done, total) => {
      if (streaming) report({ image, suite: suite.name, done, ...(total === undefined ? {} : { total }) })
    })
  // What it printed so far: a run stopped at its budget still tells which cases had finished.
  let printed = ''
  const onOutput = (text: string) => {
    printed += text
    counter?.(text)
  }
  let result: CommandResult
  try {
    result = await runCommand(image, suite.command, {
      container: { ...container, mounts, env, onOutput },
      timeoutMs: context.remaining ?? budget,
    })
  } catch (error) {
    streaming = false
    if (!(error instanceof ImgtestError) || error.code !== 'IMGTEST_NOT_READY') throw error
    const output = `stopped: still running when the suite's timeout of ${budget} ms ran out`
    log.push(output, error.message, `output until then:\n${printed}`)
    // Cases that finished keep their outcome; the ones still running or never reported are errors.
    const finished = streamedCases(suite, printed).map(
      (c): SuiteCase => (c.outcome === 'error' ? { ...c, output: `${output} (${c.output})` } : c),
    )
    return {
      image,
      suite: suite.name,
      cases: finished.length > 0 ? finished : [{ name: suite.name, outcome: 'error', output }],
      log: `${log.join('\n')}\n`,
      timedOut: true,
    }
  }
  streaming = false
  log.push(`exit ${result.exitCode}`, `stdout:\n${result.stdout}`, `stderr:\n${result.stderr}`)
  const cases = await readCases(suite, result, out)
  report?.({ image, suite: suite.name, done: cases.length, total: cases.length })
  return { image, suite: suite.name, cases, log: `${log.join('\n')}\n`, timedOut: false }
}

/**
 * A regrtest run's cases: one per test module from its output, or, when it wrote
 * `$IMGTEST_OUT/${REGRTEST_JUNIT}` (`--junit-xml`), one per test method grouped by module, plus
 * the modules that ran no method (skipped, or broken on import), which stand for their methods.
 */
async function readRegrtest(output: string, out: string): Promise<SuiteCase[]> {
  const modules = parseRegrtest(output)
  const xml = await readFile(join(out, REGRTEST_JUNIT), 'utf8').catch(() => undefined)
  if (xml === undefined) return modules
  const methods = parseRegrtestJunit(xml)
  const covered = new Set(methods.map((c) => c.group))
  return [...methods, ...modules.filter((m) => !covered.has(m.name))]
}

/** The cases a stopped run's streamed output reports (TAP and regrtest stream their results). */
function streamedCases(suite: ScriptSuite, printed: string): SuiteCase[] {
  if (suite.results === 'regrtest') return parseRegrtest(printed)
  if (suite.results === 'tap') return parseTap(printed)
  return []
}

async function readCases(suite: ScriptSuite, result: CommandResult, out: string): Promise<SuiteCase[]> {
  const exited = `exit code ${result.exitCode}${result.stderr.trim() ? `; stderr: ${result.stderr.trim().slice(-500)}` : ''}`
  if (suite.results === 'exit') {
    return [
      result.exitCode === 0
        ? { name: suite.name, outcome: 'pass' }
        : { name: suite.name, outcome: 'fail', output: exited },
    ]
  }
  let cases: SuiteCase[]
  let where: string
  if (suite.results === 'tap') {
    cases = parseTap(result.stdout)
    where = 'no TAP test lines on stdout'
  } else if (suite.results === 'regrtest') {
    cases = await readRegrtest(`${result.stdout}\n${result.stderr}`, out)
    where = 'no regrtest progress lines in the output'
  } else {
    const file = join(out, suite.results.junit)
    where = `no JUnit testcases in ${OUT_DIR}/${suite.results.junit}`
    const xml = await readFile(file, 'utf8').catch(() => undefined)
    cases = xml === undefined ? [] : parseJunit(xml)
  }
  // A suite that reported nothing could not run: one error case says why.
  return cases.length > 0 ? cases : [{ name: suite.name, outcome: 'error', output: `${where} (${exited})` }]
}
