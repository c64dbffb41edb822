import { access } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { ImgtestError } from '../errors.ts'
import { runCommand } from '../runtime/behaviour-command.ts'
import { type CopiedDir, copyFromImage } from './copy-from-image.ts'
import { OUT_DIR, REGRTEST_JUNIT, runScriptSuite } from './run-script-suite.ts'
import { inShard } from './suite-shard.ts'
import type { PythonSuite, SuiteCase, SuiteContainer, SuiteRun, SuiteRunContext } from './suite-types.ts'

/**
 * An interpreter as a probe saw it: its `major.minor`, the stdlib directory the tests belong in,
 * and whether regrtest (`test.libregrtest`) is there to run.
 */
interface Interpreter {
  version: string
  stdlib: string
  hasRegrtest: boolean
}

const PROBE = [
  'import importlib.util, sys, sysconfig',
  'try: regrtest = importlib.util.find_spec("test.libregrtest") is not None',
  'except ImportError: regrtest = False',
  'print("%d.%d" % sys.version_info[:2], int(regrtest), sysconfig.get_path("stdlib"))',
].join('\n')
const PROBE_TIMEOUT_MS = 60_000

/**
 * Runs CPython's regression tests (see PythonSuite) on one image within `budget` ms: probes the
 * image's interpreter for its version and stdlib, brings the `test` package in (copied out of the
 * upstream image, or a host directory) over `<stdlib>/test` read-only, and runs
 * `python -m test` with the suite's selection, `-j` and `-u`. The upstream image running its own
 * tests uses them in place. Tests of another Python version than the interpreter's are an error.
 *
 * @example
 * const run = await runPythonSuite('python-rebuilt:3.11', suites.python({ tests: ['test_bz2'] }), { upstream: 'python:3.11' }, 300_000)
 */
export async function runPythonSuite(
  image: string,
  given: PythonSuite,
  context: SuiteRunContext,
  budget: number,
): Promise<SuiteRun> {
  const started = performance.now()
  let suite = given
  const container = suite.container ?? {}
  const interpreter = await probeOnce(context, image, suite.python, container)
  const log = [`${suite.python} in ${image}: Python ${interpreter.version}, stdlib ${interpreter.stdlib}`]
  const upstream = context.upstream ?? image
  let copied: CopiedDir | undefined
  try {
    let tests: string | undefined
    if (suite.from === 'upstream') {
      const source = await probeOnce(context, upstream, suite.python, container)
      sameVersion(interpreter, source.version, `the tests of ${upstream}`, image)
      const path = `${source.stdlib}/test`
      if (image !== upstream) {
        copied = await copyFromImage(upstream, path).catch((error: unknown) => {
          if (error instanceof ImgtestError && error.code === 'IMGTEST_USAGE')
            throw noTests(`${upstream} has no CPython test package at ${path}`, error)
          throw error
        })
        tests = copied.path
        log.push(`tests: ${path} of ${upstream}`)
      } else {
        if (!interpreter.hasRegrtest) throw noTests(`${image} has no CPython test package at ${path}`)
        log.push(`tests: ${path} of ${image} itself`)
      }
    } else {
      tests = await testPackageIn(resolve(suite.from.source))
      const version = /python(\d+\.\d+)/.exec(tests)?.[1]
      if (version !== undefined) sameVersion(interpreter, version, `the tests in ${tests}`, image)
      log.push(`tests: ${tests}`)
    }
    const mount = tests === undefined ? undefined : { source: tests, target: `${interpreter.stdlib}/test` }
    if (suite.shard !== undefined) {
      // Both images take the same part: the selection, or the whole suite as regrtest lists it.
      const listed = mount && {
        ...container,
        mounts: [...(container.mounts ?? []), { ...mount, readOnly: true }],
      }
      const names =
        selectedTests(suite) ?? withoutExcluded(suite, await listTests(image, suite, listed ?? container))
      const { exclude: _, ...rest } = suite
      suite = { ...rest, tests: inShard(names, suite.shard) }
      log.push(
        `shard ${suite.shard?.index}/${suite.shard?.total}: ${suite.tests?.length} of ${names.length} tests`,
      )
    }
    const left = Math.max(1, Math.floor(budget - (performance.now() - started)))
    const run = await runScriptSuite(
      image,
      {
        kind: 'script',
        name: suite.name,
        ...(mount === undefined ? {} : { tests: mount }),
        command: regrtestCommand(suite),
        results: 'regrtest',
        container,
      },
      budget,
      { ...context, remaining: left },
    )
    let cases = run.cases
    const selected = selectedTests(suite)
    if (run.timedOut && selected) {
      // -j names a test only once it finishes: the selected ones it never named were running or waiting.
      const named = new Set(cases.map((c) => c.name))
      const unreported = selected
        .filter((name) => !named.has(name))
        .map(
          (name): SuiteCase => ({
            name,
            outcome: 'error',
            output: `stopped: the suite's timeout of ${budget} ms ran out before regrtest reported it`,
          }),
        )
      cases = [...cases.filter((c) => c.name !== suite.name), ...unreported]
    }
    // -j reports tests as they finish; by name, both images' cases (and reports) read the same.
    cases = [...cases].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    return { ...run, cases, log: `${log.join('\n')}\n${run.log}` }
  } finally {
    await copied?.remove()
  }
}

/**
 * The `python -m test` command line of a suite: `-j`, `-u`, `--timeout`, then the selected tests
 * (less the excluded ones), or `-x` and the excluded ones when the whole suite runs.
 *
 * @example
 * regrtestCommand({ ...suite, python: 'python3', jobs: 2, tests: ['test_bz2', 'test_json'] })
 * // ['python3', '-m', 'test', '-j2', 'test_bz2', 'test_json']
 */
export function regrtestCommand(suite: PythonSuite): string[] {
  const flags = [`-j${suite.jobs}`]
  if (suite.resources?.length) flags.push('-u', suite.resources.join(','))
  if (suite.testTimeoutSec !== undefined) flags.push('--timeout', String(suite.testTimeoutSec))
  if (suite.granularity === 'method') flags.push('--junit-xml', `${OUT_DIR}/${REGRTEST_JUNIT}`)
  const selection = selectedTests(suite) ?? (suite.exclude?.length ? ['-x', ...suite.exclude] : [])
  return [suite.python, '-m', 'test', ...flags, ...selection]
}

/** The test modules a suite names to run, less the excluded ones; undefined: the whole suite. */
function selectedTests(suite: PythonSuite): string[] | undefined {
  return suite.tests && withoutExcluded(suite, suite.tests)
}

function withoutExcluded(suite: PythonSuite, names: readonly string[]): string[] {
  const excluded = new Set(suite.exclude ?? [])
  return names.filter((name) => !excluded.has(name))
}

// The whole suite's test names, as regrtest finds them (`--list-tests`).
async function listTests(image: string, suite: PythonSuite, container: SuiteContainer): Promise<string[]> {
  const result = await runCommand(image, [suite.python, '-m', 'test', '--list-tests'], {
    container,
    timeoutMs: PROBE_TIMEOUT_MS,
  })
  const names = result.stdout.split('\n').filter((line) => /^test[\w.]*$/.test(line.trim()))
  if (result.exitCode !== 0 || names.length === 0) {
    throw new ImgtestError(
      'IMGTEST_USAGE',
      `${suite.python} -m test --list-tests in ${image} listed no tests (exit ${result.exitCode}: ${result.stderr.trim().split('\n').pop() ?? ''}); give the tests to shard with suites.python({ tests })`,
    )
  }
  return names.map((line) => line.trim())
}

// The probes of one run's context: runSuiteInBoth shares its context between both images and the
// retries, so each interpreter (the upstream's is asked by both runs) is started once.
const probes = new WeakMap<SuiteRunContext, Map<string, Promise<Interpreter>>>()

function probeOnce(
  context: SuiteRunContext,
  image: string,
  python: string,
  container: SuiteContainer,
): Promise<Interpreter> {
  let seen = probes.get(context)
  if (seen === undefined) probes.set(context, (seen = new Map()))
  const key = JSON.stringify([image, python, container])
  let probed = seen.get(key)
  if (probed === undefined) {
    probed = probe(image, python, container)
    // A failed probe is not kept: the error belongs to the run that asked.
    probed.catch(() => seen.delete(key))
    seen.set(key, probed)
  }
  return probed
}

async function probe(image: string, python: string, container: SuiteContainer): Promise<Interpreter> {
  const result = await runCommand(image, [python, '-c', PROBE], { container, timeoutMs: PROBE_TIMEOUT_MS })
  const match = /^(\d+\.\d+) ([01]) (\/\S*)$/m.exec(result.stdout)
  if (result.exitCode !== 0 || match === null) {
    const said = (result.stderr.trim() || result.stdout.trim()).split('\n').pop() ?? ''
    throw new ImgtestError(
      'IMGTEST_USAGE',
      `${python} does not run as a Python 3 interpreter in ${image} (exit ${result.exitCode}${said ? `: ${said}` : ''}); give its name or path with suites.python({ python })`,
    )
  }
  return { version: match[1] as string, hasRegrtest: match[2] === '1', stdlib: match[3] as string }
}

function sameVersion(interpreter: Interpreter, version: string, what: string, image: string): void {
  if (version === interpreter.version) return
  throw new ImgtestError(
    'IMGTEST_USAGE',
    `${what} are for Python ${version}, but ${image} runs Python ${interpreter.version}; regrtest must come from the interpreter's own version`,
  )
}

/** The `test` package in a host directory: the directory itself, or its `test` child. */
async function testPackageIn(dir: string): Promise<string> {
  for (const candidate of [dir, join(dir, 'test')]) {
    if (
      await access(join(candidate, 'libregrtest')).then(
        () => true,
        () => false,
      )
    )
      return candidate
  }
  throw new ImgtestError(
    'IMGTEST_USAGE',
    `${dir} holds no complete CPython test package (no libregrtest/ in it or in its test/); Debian splits it: extract both libpython3.X-stdlib (test/libregrtest, test/support) and libpython3.X-testsuite (the tests) into one dir with dpkg-deb -x, and give '<dir>/usr/lib/python3.X'`,
  )
}

function noTests(what: string, cause?: unknown): ImgtestError {
  return new ImgtestError(
    'IMGTEST_USAGE',
    `${what}; install Debian's libpython3.X-testsuite in the upstream image, or extract it with libpython3.X-stdlib (dpkg-deb -x) and give suites.python({ from: { source: '<dir>/usr/lib/python3.X' } })`,
    cause === undefined ? undefined : { cause },
  )
}
