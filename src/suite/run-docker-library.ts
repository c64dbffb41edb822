import { randomBytes } from 'node:crypto'
import { constants } from 'node:fs'
import { access, readFile, stat } from 'node:fs/promises'
import { delimiter, join } from 'node:path'
import { execa } from 'execa'
import { ImgtestError } from '../errors.ts'
import { installCleanupHandlers, removeContainer, removeNetwork } from '../runtime/cleanup.ts'
import { runtimeEngine } from '../runtime/engine.ts'
import { engineImageName } from '../runtime/engine-image.ts'
import { unifiedDiff } from '../runtime/output-diff.ts'
import { OWNER_LABEL } from '../runtime/owner-label.ts'
import { SESSION_LABEL, sessionId } from '../runtime/session-label.ts'
import {
  type DockerLibrarySelection,
  type SelectedTest,
  selectDockerLibraryTests,
} from './docker-library-config.ts'
import { SUITE_CASE_ENV, SUITE_CASE_LABEL, SUITE_RUN_LABEL, writeDockerShim } from './docker-shim.ts'
import { findExecutable } from './find-executable.ts'
import { checkDockerLibraryCheckout, readDockerLibraryConfig } from './read-docker-library-config.ts'
import { type CaseResult, runCases } from './run-cases.ts'
import { inShard } from './suite-shard.ts'
import type { DockerLibrarySuite, SuiteCase, SuiteRun, SuiteRunContext } from './suite-types.ts'

/** What one test script did: its exit code (none when killed or not started) and output. */
export interface ScriptResult {
  exitCode?: number | undefined
  stdout: string
  stderr: string
}

// Case outputs stay short; the log keeps everything.
const STDERR_TAIL = 500
const MAX_BUFFER = 64 * 1024 * 1024

/**
 * Runs the docker-library official-images tests a checkout's configs choose for `suite.image`
 * (default: `image` itself) against `image`, as test/run.sh does: each `tests/<name>/run.sh
 * <image>` runs on the host, cwd the checkout's test/, with a `docker` shim first on PATH that
 * labels every container and network it starts. A test still running when the budget is spent
 * has its process group killed and its containers removed, is an `error`, and later tests are
 * `error` (not run); whatever a test leaves behind is removed when it ends.
 *
 * @example
 * const run = await runDockerLibrary('myorg/python:3.11', { kind: 'docker-library', name: 'docker-library', checkout: '/src/official-images', image: 'python:3.11' }, 300_000)
 */
export async function runDockerLibrary(
  image: string,
  suite: DockerLibrarySuite,
  budget: number,
  context: SuiteRunContext = {},
): Promise<SuiteRun> {
  const ref = engineImageName(image)
  const bash = requireTool('bash', 'install bash 4 or later (apt-get install bash)')
  const docker = requireTool('docker', 'install the docker CLI (apt-get install docker.io) or add it to PATH')
  const checkout = await checkDockerLibraryCheckout(suite.checkout, suite.configs)
  await requireImage(docker, ref)
  const config = await readDockerLibraryConfig(bash, checkout)
  const selection = selectDockerLibraryTests(config, suite.image ?? ref, {
    ...(suite.tests === undefined ? {} : { tests: suite.tests }),
    ...(suite.keepNamespace === undefined ? {} : { keepNamespace: suite.keepNamespace }),
  })
  if (selection.tests.length === 0) {
    throw new ImgtestError(
      'IMGTEST_USAGE',
      `no docker-library test applies to ${selectionText(selection)} in ${checkout.configs.join(', ')}${suite.tests ? ` with tests ${suite.tests.join(', ')}` : ''}; check the image option (the official name, such as python:3.11)`,
    )
  }
  // Scripts' containers carry this session's label: a signal removes them with imgtest's own
  // (the engine client is made first, so the signal handler knows where to reach it).
  await runtimeEngine()
  installCleanupHandlers()
  const runId = randomBytes(6).toString('hex')
  const labels = { [OWNER_LABEL]: 'imgtest', [SESSION_LABEL]: sessionId, [SUITE_RUN_LABEL]: runId }
  await using shim = await writeDockerShim(bash, docker, labels)
  const tests = inShard(selection.tests, suite.shard)
  let ran: Awaited<ReturnType<typeof runCases>>
  try {
    ran = await runCases({
      image: ref,
      suite: suite.name,
      names: tests.map((t) => t.name),
      ...(suite.parallel === undefined ? {} : { parallel: suite.parallel }),
      budget,
      onProgress: context.onProgress,
      run: async (index, left): Promise<CaseResult> => {
        const test = tests[index] as SelectedTest
        const missing = await unrunnable(test, checkout.testDir, checkout.configs)
        if (missing !== undefined) {
          return {
            case: { name: test.name, outcome: 'error', output: missing },
            log: `--- ${test.name}: ${missing}`,
          }
        }
        const dir = test.dir as string
        const script = join(dir, 'run.sh')
        const caseId = `${runId}.${index}`
        const result = await execa(script, [ref], {
          cwd: checkout.testDir,
          env: { PATH: `${shim.dir}${delimiter}${process.env.PATH ?? ''}`, [SUITE_CASE_ENV]: caseId },
          stdin: 'ignore',
          reject: false,
          // Own process group: a timeout kills the script and everything it started.
          killDescendants: true,
          killSignal: 'SIGKILL',
          timeout: left,
          stripFinalNewline: false,
          maxBuffer: MAX_BUFFER,
        })
        const removed = await removeLabelled(`${SUITE_CASE_LABEL}=${caseId}`)
        const log = [`--- ${test.name}: ${script} ${ref}`]
        let judged: SuiteCase
        if (result.timedOut) {
          const output = `stopped: still running when the suite's timeout of ${budget} ms ran out`
          log.push(output, `stdout:\n${result.stdout}`, `stderr:\n${result.stderr}`)
          judged = { name: test.name, outcome: 'error', output }
        } else if (result.exitCode === undefined && result.signal === undefined) {
          // The script could not be started at all (a bad interpreter line, for one).
          log.push(result.message ?? result.shortMessage ?? 'not started')
          judged = { name: test.name, outcome: 'error', output: `could not start: ${result.shortMessage}` }
        } else {
          const expected = await readFile(join(dir, 'expected-std-out.txt'), 'utf8').catch(() => undefined)
          const exit = result.exitCode ?? `none (killed by ${result.signal})`
          log.push(`exit ${exit}`, `stdout:\n${result.stdout}`, `stderr:\n${result.stderr}`)
          judged = judgeDockerLibraryTest(test.name, result, expected)
        }
        if (removed > 0) {
          const whose = result.timedOut ? 'the test started' : 'the test left behind'
          log.push(`removed ${removed} container(s) and network(s) ${whose}`)
        }
        return { case: judged, log: log.join('\n'), timedOut: result.timedOut }
      },
    })
  } finally {
    // A container created while its script was being killed shows up late: sweep the whole run.
    await removeLabelled(`${SUITE_RUN_LABEL}=${runId}`)
  }
  const { cases, logs, timedOut, parallel } = ran
  const head = [
    `suite ${suite.name} on ${ref} (timeout ${budget} ms, ${parallel} at a time)`,
    `checkout ${checkout.testDir}, configs ${checkout.configs.join(', ')}`,
    `tests for ${selectionText(selection)}: ${selection.tests.map((t) => t.name).join(', ')}`,
    ...selection.excluded.map((e) => `excluded by globalExcludeTests[${e.key}]: ${e.name}`),
    ...(selection.filtered.length > 0 ? [`not in tests (-t): ${selection.filtered.join(', ')}`] : []),
    ...(suite.shard
      ? [
          `shard ${suite.shard.index}/${suite.shard.total}: ${tests.length} of ${selection.tests.length} tests`,
        ]
      : []),
  ]
  return { image, suite: suite.name, cases, log: `${[...head, ...logs].join('\n')}\n`, timedOut }
}

/**
 * A test's outcome as run.sh judges it: exit code 0, then (if the test has one) stdout equal to
 * expected-std-out.txt, compared as `echo "$(run.sh)"` is: trailing newlines dropped, one added.
 *
 * @example
 * judgeDockerLibraryTest('utc', { exitCode: 0, stdout: 'UTC\n', stderr: '' }, 'UTC\n') // { name: 'utc', outcome: 'pass' }
 */
export function judgeDockerLibraryTest(name: string, result: ScriptResult, expected?: string): SuiteCase {
  if (result.exitCode !== 0) {
    const stderr = result.stderr.trim()
    const why = result.exitCode === undefined ? 'killed by a signal' : `exit code ${result.exitCode}`
    return {
      name,
      outcome: 'fail',
      output: `${why}${stderr ? `; stderr: ${stderr.slice(-STDERR_TAIL)}` : ''}`,
    }
  }
  if (expected === undefined) return { name, outcome: 'pass' }
  const actual = `${result.stdout.replace(/\n+$/, '')}\n`
  if (actual === expected) return { name, outcome: 'pass' }
  const diff = unifiedDiff(expected, actual, { labels: ['expected-std-out.txt', 'stdout'] })
  return { name, outcome: 'fail', output: `unexpected output:\n${diff}` }
}

// Why run.sh could not run a test (it says "skipping" and fails the run), or undefined.
async function unrunnable(
  test: SelectedTest,
  testDir: string,
  configs: string[],
): Promise<string | undefined> {
  if (test.dir === undefined) {
    return `unable to locate test '${test.name}': no tests/${test.name}/ next to ${configs.join(', ')} nor in ${testDir}/tests`
  }
  const script = join(test.dir, 'run.sh')
  const runnable =
    (await access(script, constants.X_OK).then(
      () => true,
      () => false,
    )) && !(await stat(script)).isDirectory()
  return runnable ? undefined : `${script} missing, not executable or is a directory`
}

function selectionText(selection: DockerLibrarySelection): string {
  const alias = selection.testRepo === selection.repo ? '' : `, tests of ${selection.testRepo}`
  return `${selection.image} (repo ${selection.repo}${alias}, variant ${selection.variant}${selection.explicit ? ', explicit' : ''})`
}

function requireTool(name: string, how: string): string {
  const found = findExecutable(name)
  if (found !== undefined) return found
  throw new ImgtestError(
    'IMGTEST_USAGE',
    `the docker-library suite runs its test scripts with ${name}, which is not on PATH (${process.env.PATH ?? ''}); ${how}`,
  )
}

// With the docker CLI the tests use, so a missing image is never pulled by a test's `docker run`.
async function requireImage(docker: string, ref: string): Promise<void> {
  const result = await execa(docker, ['image', 'inspect', '--format', '{{.Id}}', ref], {
    reject: false,
    stdin: 'ignore',
  })
  if (result.exitCode === 0) return
  const stderr = result.stderr.trim()
  if (/no such image/i.test(stderr)) {
    throw new ImgtestError(
      'IMGTEST_IMAGE_NOT_FOUND',
      `image ${ref} is not in the local engine and imgtest never pulls; build it or docker pull it first`,
    )
  }
  throw new ImgtestError(
    'IMGTEST_DAEMON_UNREACHABLE',
    `${docker} image inspect ${ref} failed: ${stderr || result.shortMessage}; start dockerd or set DOCKER_HOST`,
  )
}

// Containers (with their anonymous volumes) first, then networks; returns how many went.
async function removeLabelled(label: string): Promise<number> {
  const engine = await runtimeEngine()
  const filters = { label: [label] }
  const containers = await engine.listContainers({ all: true, filters })
  await Promise.all(containers.map((c) => removeContainer(c.Id)))
  const networks = await engine.listNetworks({ filters })
  await Promise.all(networks.map((n) => removeNetwork(n.Id)))
  return containers.length + networks.length
}
