import type { MatcherState, SyncMatcherResult } from 'vitest'
import type { Finding } from '../src/compare/finding.ts'
import { newFinding } from '../src/compare/finding.ts'
import { mergePolicies, type Policy } from '../src/compare/policy.ts'
import { DEFAULT_SUITE_TIMEOUT_MS, runSuite } from '../src/suite/run-suite.ts'
import { recordSuite } from '../src/suite/suite-artifact.ts'
import { runSuiteInBoth, type SuiteParityOptions } from '../src/suite/suite-parity.ts'
import { type ProgressListener, progressPrinter } from '../src/suite/suite-progress.ts'
import type { SuiteCase, SuiteDefinition } from '../src/suite/suite-types.ts'
import { runStructureTest, type StructureTestSuite, structureTestRunner } from '../suites/structure-test.ts'
import {
  callPolicyOf,
  expectImage,
  expectPair,
  imageSubject,
  pairSubject,
  parityResult,
  snapshotsOf,
} from './parity-result.ts'

export interface UpstreamSuiteOptions extends SuiteParityOptions {
  /** Case names or globs known to fail on rebuilt: the policy's `knownFailures` for this call. */
  knownFailures?: readonly string[]
  policy?: Policy
}

/**
 * `expect(pair).toPassUpstreamSuite(suite, { knownFailures?, flakyRetries?, policy? })`: the suite
 * runs on both images; every case that passes upstream passes on rebuilt (`suite.regressed`),
 * cases failing on both are shown as allowed, missing cases are `suite.missing`. Known failures
 * (this option's, and the policies' `knownFailures`) allow a regression, showing the reason.
 * container-structure-test files (`suites.structureTest`) run the same way, one case per CST test.
 */
export async function toPassUpstreamSuite(
  this: MatcherState,
  received: unknown,
  suite: SuiteDefinition | StructureTestSuite,
  options: UpstreamSuiteOptions = {},
): Promise<SyncMatcherResult> {
  const pair = expectPair(received, 'toPassUpstreamSuite')
  const { policy, knownFailures, ...parityOptions } = options
  // The option is the call policy's known failures: one mechanism, the same reason in reports.
  const callPolicy = mergePolicies(
    callPolicyOf(policy, 'toPassUpstreamSuite'),
    knownFailures &&
      callPolicyOf({ knownFailures: knownFailures.map((name) => ({ case: name })) }, 'toPassUpstreamSuite'),
  )
  const snapshots = await snapshotsOf(pair)
  const { findings, cases, upstream, rebuilt } =
    suite.kind === 'structure-test'
      ? // Each CST test is a case on both images, compared by the same rules.
        await runSuiteInBoth(pair, suite, parityOptions, structureTestRunner)
      : await runSuiteInBoth(pair, withinTest(this, suite), withProgress(parityOptions))
  await recordSuite(this, {
    matcher: 'toPassUpstreamSuite',
    subject: pair.name,
    cases,
    runs: { upstream, rebuilt },
  })
  return parityResult(this, 'toPassUpstreamSuite', pairSubject(pair, snapshots), findings, callPolicy)
}

/**
 * `expect(pair.rebuilt).toPassSuite(suite, { policy? })`: every case of the suite passes (or is
 * skipped) on this one image; each other case is a `suite.failed` finding keyed by its name.
 */
export async function toPassSuite(
  this: MatcherState,
  received: unknown,
  suite: SuiteDefinition | StructureTestSuite,
  options: { policy?: Policy } = {},
): Promise<SyncMatcherResult> {
  const handle = expectImage(received, 'toPassSuite')
  const callPolicy = callPolicyOf(options.policy, 'toPassSuite')
  const snapshot = await handle.snapshot()
  if (suite.kind === 'structure-test') {
    // container-structure-test files yield findings directly: file and metadata tests need no container.
    const findings = await runStructureTest(handle, suite)
    return parityResult(this, 'toPassSuite', imageSubject(snapshot), findings, callPolicy)
  }
  const run = await runSuite(handle.ref, withinTest(this, suite), withProgress({}))
  await recordSuite(this, {
    matcher: 'toPassSuite',
    subject: handle.ref,
    cases: run.cases.map((c) => ({ name: c.name, rebuilt: c.outcome })),
    runs: { rebuilt: run },
  })
  const findings = run.cases.flatMap((c) => failedCase(c, run.suite))
  return parityResult(this, 'toPassSuite', imageSubject(snapshot), findings, callPolicy)
}

function failedCase(c: SuiteCase, suite: string): Finding[] {
  if (c.outcome === 'pass' || c.outcome === 'skip') return []
  return [
    newFinding({
      check: 'suite.failed',
      key: c.name,
      suite,
      rebuilt: c.outcome,
      message: `case ${c.name} ${c.outcome === 'error' ? 'errors' : 'fails'}${c.output ? `: ${c.output}` : ''}`,
    }),
  ]
}

/** The types of the suite matchers, for `ImgtestMatchers` in index.ts. */
export interface SuiteMatchers<R = unknown> {
  /** On a pair: every case passing upstream passes on rebuilt; failing on both is shown, allowed. */
  toPassUpstreamSuite(suite: SuiteDefinition | StructureTestSuite, options?: UpstreamSuiteOptions): Promise<R>
  /** On one image: every case of the suite passes or is skipped. */
  toPassSuite(suite: SuiteDefinition | StructureTestSuite, options?: { policy?: Policy }): Promise<R>
}

// Long suites print a progress line per image on stderr now and then (see progressPrinter).
function withProgress<T extends { onProgress?: ProgressListener }>(options: T): T {
  const onProgress = options.onProgress ?? progressPrinter()
  return onProgress === undefined ? options : { ...options, onProgress }
}

/**
 * A suite without its own budget gets the default (300 s) or, when the test's timeout is
 * shorter, that timeout less a margin: the suite then stops itself with a clear error and the
 * cases it finished, before vitest's bare "Test timed out" leaves it running on its own.
 */
export function withinTest<S extends SuiteDefinition>(state: MatcherState, suite: S): S {
  const testTimeout = (state.task as { timeout?: number } | undefined)?.timeout
  if (suite.timeoutMs !== undefined || !testTimeout || testTimeout <= 0) return suite
  const margin = Math.min(10_000, testTimeout / 10)
  const budget = Math.floor(testTimeout - margin)
  return budget < DEFAULT_SUITE_TIMEOUT_MS ? { ...suite, timeoutMs: Math.max(1, budget) } : suite
}
