import type { Finding } from '../compare/finding.ts'
import { newFinding } from '../compare/finding.ts'
import { ImgtestError } from '../errors.ts'
import { type PairLike, refsOf } from '../runtime/behaviour-pair.ts'
import {
  type CaseOutcomes,
  caseOutcomes,
  compareOutcomes,
  type OutcomeCompareOptions,
} from './compare-outcomes.ts'
import { runSuite } from './run-suite.ts'
import type { ProgressListener } from './suite-progress.ts'
import type { SuiteCase, SuiteDefinition, SuiteRun } from './suite-types.ts'

export interface SuiteParityOptions extends OutcomeCompareOptions {
  /** Re-run a case that regressed on rebuilt up to this many times (default 0); passing once makes it flaky, not regressed. */
  flakyRetries?: number
  /** Called as each image's cases finish (see SuiteRunContext). */
  onProgress?: ProgressListener
}

export interface SuiteParity {
  upstream: SuiteRun
  rebuilt: SuiteRun
  /** Every case with both outcomes (rebuilt's after retries). */
  cases: CaseOutcomes[]
  findings: Finding[]
}

/**
 * How a kind of suite that `runSuite` does not know runs on one image (container-structure-test
 * files, say), so `runSuiteInBoth` compares its cases by the same rules.
 */
export interface SuiteRunner<S> {
  run(ref: string, suite: S): Promise<SuiteRun>
  /** The suite restricted to the named cases, for flaky re-runs; absent: the whole suite runs again. */
  only?(suite: S, names: ReadonlySet<string>): S
}

/**
 * Runs a suite on both images of a pair (at once) and compares the outcomes (see
 * compareOutcomes), each finding naming the suite. Regressed cases are re-run on rebuilt up to
 * `flakyRetries` times; one that passes on a retry is an allowed `suite.flaky` finding instead.
 * A suite of another kind runs through its `runner`.
 *
 * @example
 * const { findings } = await runSuiteInBoth(web, suites.command([{ name: 'uid', command: ['id', '-u'], expect: { stdout: '0' } }]))
 */
export async function runSuiteInBoth(
  pair: PairLike,
  suite: SuiteDefinition,
  options?: SuiteParityOptions,
): Promise<SuiteParity>
export async function runSuiteInBoth<S extends { name: string }>(
  pair: PairLike,
  suite: S,
  options: SuiteParityOptions,
  runner: SuiteRunner<S>,
): Promise<SuiteParity>
export async function runSuiteInBoth(
  pair: PairLike,
  suite: { name: string },
  options: SuiteParityOptions = {},
  custom?: SuiteRunner<{ name: string }>,
): Promise<SuiteParity> {
  const retries = options.flakyRetries ?? 0
  if (!Number.isInteger(retries) || retries < 0) {
    throw new ImgtestError(
      'IMGTEST_USAGE',
      `flakyRetries is a whole number of re-runs (0 or more), got ${retries}`,
    )
  }
  const refs = refsOf(pair, 'runSuiteInBoth()')
  const context = {
    upstream: refs.upstream,
    ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
  }
  const runner = custom ?? {
    run: (ref: string, definition: { name: string }) => runSuite(ref, definition as SuiteDefinition, context),
    only: (definition: { name: string }, names: ReadonlySet<string>) =>
      onlyCases(definition as SuiteDefinition, names),
  }
  const [upstream, rebuilt] = await Promise.all([
    runner.run(refs.upstream, suite),
    runner.run(refs.rebuilt, suite),
  ])
  const flaky: Finding[] = []
  let rebuiltCases: SuiteCase[] = rebuilt.cases
  for (let attempt = 1; attempt <= retries; attempt++) {
    const regressed = compareOutcomes(upstream.cases, rebuiltCases).filter(
      (f) => f.check === 'suite.regressed',
    )
    if (regressed.length === 0) break
    const names = new Set(regressed.map((f) => f.key as string))
    const rerun = await runner.run(refs.rebuilt, runner.only?.(suite, names) ?? suite)
    rebuilt.log += `\n=== retry ${attempt} of ${[...names].join(', ')}\n${rerun.log}`
    const passed = new Map(
      rerun.cases.filter((c) => c.outcome === 'pass' && names.has(c.name)).map((c) => [c.name, c]),
    )
    for (const name of passed.keys()) {
      flaky.push({
        ...newFinding({
          check: 'suite.flaky',
          key: name,
          upstream: 'pass',
          rebuilt: 'pass',
          message: `case ${name} failed on rebuilt, then passed on retry ${attempt}`,
        }),
        allowed: true,
      })
    }
    rebuiltCases = rebuiltCases.map((c) => passed.get(c.name) ?? c)
  }
  const rebuiltRun = { ...rebuilt, cases: rebuiltCases }
  const findings = [...compareOutcomes(upstream.cases, rebuiltCases, options), ...flaky]
  return {
    upstream,
    rebuilt: rebuiltRun,
    cases: caseOutcomes(upstream.cases, rebuiltCases),
    findings: findings.map((finding) => inSuite(finding, upstream.suite)),
  }
}

/**
 * The finding with the suite it came from, so a policy rule or known failure can name the suite.
 *
 * @example
 * inSuite(finding, 'cpython') // { check: 'suite.regressed', key: 'test_ssl', suite: 'cpython', … }
 */
export function inSuite(finding: Finding, suite: string): Finding {
  const { check, key, ...rest } = finding
  return { check, ...(key === undefined ? {} : { key }), suite, ...rest }
}

/** The same suite restricted to the named cases, for re-runs. */
export function onlyCases(suite: SuiteDefinition, names: ReadonlySet<string>): SuiteDefinition {
  // A script suite runs as a whole; command, docker-library and Python suites can run some of their cases.
  if (suite.kind === 'command') return { ...suite, cases: suite.cases.filter((c) => names.has(c.name)) }
  // The names are already of one shard: a retry runs exactly them.
  if (suite.kind === 'docker-library') {
    const { shard: _, ...rest } = suite
    return { ...rest, tests: [...names] }
  }
  if (suite.kind === 'python') {
    // regrtest runs modules: a test method (`test.test_bz2.T.test_read`) re-runs its module.
    const modules = new Set(
      [...names]
        .map((name) => /^test\.(test\w*)\./.exec(name)?.[1] ?? name)
        .filter((name) => /^test\w*$/.test(name)),
    )
    if (modules.size === 0) return suite
    const { exclude: _, shard: __, ...rest } = suite
    return { ...rest, tests: [...modules] }
  }
  return suite
}
