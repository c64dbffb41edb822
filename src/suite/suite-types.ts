/**
 * What a suite is (data only, so it can be logged and compared) and what one run of it on an
 * image gives back. `runSuite` (run-suite.ts) executes a definition; `compareOutcomes`
 * (compare-outcomes.ts) turns two runs into findings.
 */
import type { ContainerOptions } from '../runtime/container-types.ts'
import type { ProgressListener } from './suite-progress.ts'
import type { SuiteShard } from './suite-shard.ts'

/** How one case ended. `error` means the case could not be judged (timeout, not run, engine error). */
export type CaseOutcome = 'pass' | 'fail' | 'skip' | 'error'

/** One case of a suite run. */
export interface SuiteCase {
  name: string
  outcome: CaseOutcome
  /** Why it did not pass, or what it printed (kept short). */
  output?: string
  /**
   * The case standing for this one's module or class (`test_bz2` for its test methods): where
   * an image reports no such case but the group as a whole (skipped or broken on import), the
   * group's outcome is this case's outcome there.
   */
  group?: string
}

/** What a command case expects; the default is exit code 0 and any output. */
export interface CommandExpectation {
  exit?: number
  /** Exact stdout (a string, compared after trimming trailing whitespace) or a pattern it must match. */
  stdout?: string | RegExp
}

/** One command, run as the command of a one-shot container; passes when it meets `expect`. */
export interface CommandCase {
  name: string
  command: string[]
  expect?: CommandExpectation
}

/** How the containers of a suite run: the image's own config otherwise. */
export type SuiteContainer = Pick<
  ContainerOptions,
  | 'env'
  | 'user'
  | 'workdir'
  | 'entrypoint'
  | 'network'
  | 'readOnlyRootfs'
  | 'writable'
  | 'capDrop'
  | 'labels'
  | 'mounts'
>

/** A suite whose cases are commands with exit-code and stdout expectations (`suites.command`). */
export interface CommandSuite {
  kind: 'command'
  name: string
  cases: CommandCase[]
  container?: SuiteContainer
  /** How many cases run at once (default 1); results and the log stay in case order. */
  parallel?: number
  /** Budget for the whole run in ms (default 300000); a case still running then is stopped and is an `error`. */
  timeoutMs?: number
}

/**
 * How a script suite's results are read: its exit code (one case), TAP on stdout, CPython
 * regrtest's output (one case per test module), or a JUnit XML file it writes.
 */
export type SuiteResults = 'exit' | 'tap' | 'regrtest' | { junit: string }

/**
 * A suite run as one command in one container: tests come from a host directory mounted
 * read-only at `tests.target` (default `/imgtest/tests`, in `$IMGTEST_TESTS`); a writable host
 * directory is mounted at `/imgtest/out` (in `$IMGTEST_OUT`) for reports such as JUnit XML.
 */
export interface ScriptSuite {
  kind: 'script'
  name: string
  /** A host directory, or a directory copied out of an image (`fromImage`, e.g. the upstream's ref). */
  tests?: { source: string; target?: string } | { fromImage: string; path: string; target?: string }
  command: string[]
  /** `{ junit: 'report.xml' }` is a path under `$IMGTEST_OUT`. */
  results: SuiteResults
  container?: SuiteContainer
  /** Budget for the run in ms (default 300000); a container still running then is stopped, an `error`. */
  timeoutMs?: number
}

/**
 * CPython's own regression tests (`python -m test`, "regrtest") run with the image's interpreter
 * (`suites.python`). The tests (the stdlib's `test` package) come from the upstream image or a
 * host directory and are mounted read-only over `<stdlib>/test` of each image; one case per test
 * module, read from regrtest's output.
 */
export interface PythonSuite {
  kind: 'python'
  name: string
  /** The interpreter to run, by name on the image's PATH or by path (default `python3`). */
  python: string
  /** Where the `test` package comes from: the upstream image's stdlib, or a host directory holding it. */
  from: 'upstream' | { source: string }
  /** Test modules to run (`test_bz2`); absent: the whole suite. */
  tests?: string[]
  /** Test modules left out. */
  exclude?: string[]
  /** Worker processes (`-j`); 0 means one per CPU. */
  jobs: number
  /** Resources to enable (`-u`), such as `network` or `cpu`; absent: none. */
  resources?: string[]
  /** regrtest's own per-test timeout in seconds (`--timeout`). */
  testTimeoutSec?: number
  /** One case per test module (default), or per test method (from regrtest's `--junit-xml`). */
  granularity: 'module' | 'method'
  /** Run only this part of the selection (of the whole suite, listed with `--list-tests`). */
  shard?: SuiteShard
  container?: SuiteContainer
  /** Budget for the run in ms (default 300000). */
  timeoutMs?: number
}

/**
 * The docker-library official-images tests (`suites.dockerLibrary`), run from a checkout on the
 * host as its test/run.sh does: tests chosen by test/config.sh for the official image name, each
 * `test/tests/<name>/run.sh <ref>` one case (exit 0, and stdout equal to expected-std-out.txt if any).
 */
export interface DockerLibrarySuite {
  kind: 'docker-library'
  name: string
  /** The root of an official-images clone (holds test/run.sh, test/config.sh, test/tests/). */
  checkout: string
  /** The official name tests are chosen for (`python:3.11-slim`); default: the ref under test. */
  image?: string
  /** Config files sourced in order, as run.sh's `-c` (default: the checkout's test/config.sh only). */
  configs?: string[]
  /** Only these tests, as run.sh's `-t`. */
  tests?: string[]
  /** Match repos with their namespace, as run.sh's `--keep-namespace`. */
  keepNamespace?: boolean
  /** Run only this part of the chosen tests. */
  shard?: SuiteShard
  /** How many tests run at once (default 1); results and the log stay in test order. */
  parallel?: number
  /** Budget for the whole run in ms (default 300000); a test still running then is killed, an `error`. */
  timeoutMs?: number
}

/** Every kind of suite `runSuite` knows. */
export type SuiteDefinition = CommandSuite | ScriptSuite | PythonSuite | DockerLibrarySuite

/** What a run needs to know beyond its image: the pair's upstream, for tests taken from it. */
export interface SuiteRunContext {
  /** The upstream image's reference; a single image is its own upstream. */
  upstream?: string
  /** Called as cases finish (and with 0 done at the start), for long suites' progress lines. */
  onProgress?: ProgressListener
}

/** One run of a suite on one image. */
export interface SuiteRun {
  image: string
  suite: string
  cases: SuiteCase[]
  /** The whole log of the run: each case's command, exit code and output. */
  log: string
  /** True when the run hit its timeout. */
  timedOut: boolean
}
