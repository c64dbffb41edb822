import { ImgtestError } from '../src/errors.ts'
import { parseShard, type SuiteShard } from '../src/suite/suite-shard.ts'
import type { PythonSuite, SuiteContainer } from '../src/suite/suite-types.ts'

export interface PythonSuiteOptions {
  /** Suite name in reports (default `cpython`). */
  name?: string
  /** The interpreter, by name on the image's PATH or by path (default `python3`). */
  python?: string
  /**
   * Where CPython's `test` package comes from: `'upstream'` (default) copies `<stdlib>/test` out of
   * the upstream image (Debian's `libpython3.X-testsuite`, or a python image that keeps it);
   * `{ source }` is a host directory holding it, such as Debian's libpython3.11-stdlib (regrtest
   * itself) and libpython3.11-testsuite (the tests) both extracted with `dpkg-deb -x <deb> pkg`
   * and given as `pkg/usr/lib/python3.11`.
   */
  from?: 'upstream' | { source: string }
  /** Test modules to run, such as `['test_bz2', 'test_json']`; default the whole suite. */
  tests?: string[]
  /** Test modules to leave out. */
  exclude?: string[]
  /** Worker processes, regrtest's `-j` (default 0: one per CPU). */
  jobs?: number
  /** Resources to enable, regrtest's `-u`: `network`, `cpu`, `all`, `all,-largefile` …; default none. */
  resources?: string[]
  /** regrtest's per-test timeout in seconds (`--timeout`): a hung test module fails, the rest still run. */
  testTimeoutSec?: number
  /**
   * `'module'` (default): one case per test module, as regrtest counts them. `'method'`: one case
   * per test method (`test.test_tarfile.Bz2CreateTest.test_create`), from regrtest's
   * `--junit-xml`, so a module that still passes while some of its methods are skipped on rebuilt
   * (test_tarfile's bz2 tests without `_bz2`) shows them; a module skipped as a whole stands for
   * its methods.
   */
  granularity?: 'module' | 'method'
  /**
   * Run one part of the tests, `'2/4'` (1-based): of `tests`, or of the whole suite as
   * `python -m test --list-tests` lists it; spread a long suite over CI jobs.
   */
  shard?: string | SuiteShard
  container?: SuiteContainer
  /** Budget for each image's whole run in ms (default 300000). */
  timeoutMs?: number
}

const TEST_NAME = /^test[\w.]*$/

/**
 * CPython's own regression tests (`python -m test`), run with each image's interpreter: the same
 * tests on both images, one case per test module. A test module that passes upstream and fails,
 * errors or is skipped on rebuilt (for instance `test_bz2` because rebuilt lacks `_bz2`) is a
 * `suite.regressed`; modules skipped on both (missing in both) are not failures.
 *
 * @example
 * await expect(python).toPassUpstreamSuite(suites.python({ tests: ['test_bz2', 'test_json'], jobs: 2 }))
 */
export function python(options: PythonSuiteOptions = {}): PythonSuite {
  const fail = (what: string) => new ImgtestError('IMGTEST_USAGE', `suites.python(): ${what}`)
  for (const key of ['tests', 'exclude'] as const) {
    const list = options[key]
    if (list === undefined) continue
    const bad = Array.isArray(list)
      ? list.find((name) => typeof name !== 'string' || !TEST_NAME.test(name))
      : list
    if (!Array.isArray(list) || bad !== undefined || list.length === 0) {
      throw fail(
        `${key} is a non-empty list of regrtest test names such as ['test_bz2']${bad === undefined ? '' : `, not ${JSON.stringify(bad)}`}`,
      )
    }
  }
  if (options.jobs !== undefined && !(Number.isInteger(options.jobs) && options.jobs >= 0)) {
    throw fail(`jobs is a whole number of worker processes (0: one per CPU), got ${options.jobs}`)
  }
  if (
    options.resources !== undefined &&
    !(
      Array.isArray(options.resources) &&
      options.resources.every((r) => typeof r === 'string' && /^-?[a-z]+$/.test(r))
    )
  ) {
    throw fail("resources is a list of regrtest resource names such as ['network', 'cpu']")
  }
  for (const key of ['testTimeoutSec', 'timeoutMs'] as const) {
    const value = options[key]
    if (value !== undefined && !(typeof value === 'number' && value > 0)) {
      throw fail(`${key} must be a positive number, got ${value}`)
    }
  }
  if (
    options.granularity !== undefined &&
    options.granularity !== 'module' &&
    options.granularity !== 'method'
  ) {
    throw fail(`granularity is 'module' or 'method', got ${JSON.stringify(options.granularity)}`)
  }
  const from = options.from ?? 'upstream'
  if (from !== 'upstream' && typeof (from as { source?: unknown })?.source !== 'string') {
    throw fail(`from is 'upstream' or { source: '<host dir>' }, got ${JSON.stringify(from)}`)
  }
  if (options.python !== undefined && (typeof options.python !== 'string' || options.python === '')) {
    throw fail('python is the interpreter to run, such as python3 or /usr/local/bin/python3.12')
  }
  const shard = options.shard === undefined ? undefined : parseShard(options.shard, 'suites.python()')
  return {
    kind: 'python',
    name: options.name ?? 'cpython',
    python: options.python ?? 'python3',
    from,
    jobs: options.jobs ?? 0,
    granularity: options.granularity ?? 'module',
    ...(options.tests === undefined ? {} : { tests: [...options.tests] }),
    ...(options.exclude === undefined ? {} : { exclude: [...options.exclude] }),
    ...(options.resources === undefined ? {} : { resources: [...options.resources] }),
    ...(options.testTimeoutSec === undefined ? {} : { testTimeoutSec: options.testTimeoutSec }),
    ...(shard === undefined ? {} : { shard }),
    ...(options.container === undefined ? {} : { container: options.container }),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
  }
}
