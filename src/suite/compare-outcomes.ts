import type { Finding } from '../compare/finding.ts'
import { newFinding } from '../compare/finding.ts'
import type { CaseOutcome, SuiteCase } from './suite-types.ts'

export interface OutcomeCompareOptions {
  /** Case names known to fail (on rebuilt): their regressions are reported as allowed. */
  knownFailures?: readonly string[]
}

/** One case with both outcomes, for reports that list every case. */
export interface CaseOutcomes {
  name: string
  upstream?: CaseOutcome
  rebuilt?: CaseOutcome
}

const bad = (outcome: CaseOutcome | undefined): boolean => outcome === 'fail' || outcome === 'error'
const VERB: Record<CaseOutcome, string> = {
  pass: 'passes',
  fail: 'fails',
  error: 'errors',
  skip: 'is skipped',
}

/**
 * Outcome parity of two runs of the same suite, keyed by case name:
 * `suite.regressed` (passes upstream, fails, errors or is skipped on rebuilt: a skip proves
 * nothing, and a module or tool missing on rebuilt is exactly what makes tests skip),
 * `suite.missing` (upstream ran it, rebuilt did not report it), `suite.failing-both` (fails on
 * both: shown, allowed). A case skipped upstream is not compared; cases only rebuilt ran are ignored.
 *
 * @example
 * compareOutcomes([{ name: 'a', outcome: 'pass' }], [{ name: 'a', outcome: 'fail', output: 'exit 1' }])
 * // [{ check: 'suite.regressed', key: 'a', upstream: 'pass', rebuilt: 'fail', allowed: false, … }]
 */
export function compareOutcomes(
  upstream: readonly SuiteCase[],
  rebuilt: readonly SuiteCase[],
  options: OutcomeCompareOptions = {},
): Finding[] {
  const known = new Set(options.knownFailures ?? [])
  const counterpart = counterparts(rebuilt)
  const findings: Finding[] = []
  for (const up of upstream) {
    const re = counterpart(up)
    // One rule (isRegression) for what fails here and what reports mark failed.
    const regression = isRegression({
      name: up.name,
      upstream: up.outcome,
      ...(re ? { rebuilt: re.outcome } : {}),
    })
    if (re === undefined) {
      if (!regression) continue
      findings.push(
        newFinding({
          check: 'suite.missing',
          key: up.name,
          upstream: up.outcome,
          message: `case ${up.name} ran upstream (${up.outcome}) but not on rebuilt`,
        }),
      )
      continue
    }
    if (bad(up.outcome) && bad(re.outcome)) {
      findings.push({
        ...newFinding({
          check: 'suite.failing-both',
          key: up.name,
          upstream: up.outcome,
          rebuilt: re.outcome,
          message: `case ${up.name} fails on both images${re.output ? `: ${re.output}` : ''}`,
        }),
        allowed: true,
      })
    } else if (regression) {
      findings.push({
        ...newFinding({
          check: 'suite.regressed',
          key: up.name,
          upstream: up.outcome,
          rebuilt: re.outcome,
          message: `case ${up.name} passes upstream, ${VERB[re.outcome]} on rebuilt${re.output ? `: ${re.output}` : ''}${known.has(up.name) ? ' (a known failure)' : ''}`,
        }),
        allowed: known.has(up.name),
      })
    }
  }
  return findings
}

/**
 * Whether a case with these outcomes is a `suite.regressed` or `suite.missing` finding: the one
 * rule reports use to mark a case failed.
 *
 * @example
 * isRegression({ name: 'test_bz2', upstream: 'pass', rebuilt: 'skip' }) // true
 */
export function isRegression(c: CaseOutcomes): boolean {
  if (c.rebuilt === undefined) return c.upstream !== undefined && c.upstream !== 'skip'
  return c.upstream === 'pass' && c.rebuilt !== 'pass'
}

/** Every case upstream or rebuilt ran, with both outcomes, in upstream's order then rebuilt's extras. */
export function caseOutcomes(upstream: readonly SuiteCase[], rebuilt: readonly SuiteCase[]): CaseOutcomes[] {
  const counterpart = counterparts(rebuilt)
  const rows = new Map<string, CaseOutcomes>()
  for (const c of upstream) {
    const re = counterpart(c)
    rows.set(c.name, { name: c.name, upstream: c.outcome, ...(re ? { rebuilt: re.outcome } : {}) })
  }
  // A group rebuilt reports in place of upstream's cases is in their rows already.
  const groups = new Set(upstream.map((c) => c.group))
  for (const c of rebuilt)
    if (!rows.has(c.name) && !groups.has(c.name)) rows.set(c.name, { name: c.name, rebuilt: c.outcome })
  return [...rows.values()]
}

/**
 * How rebuilt's run reports an upstream case: the case of the same name, or else the case of its
 * group when the group as a whole did not pass there (a test module skipped or broken on import
 * runs none of its methods), named as the upstream case.
 */
function counterparts(rebuilt: readonly SuiteCase[]): (c: SuiteCase) => SuiteCase | undefined {
  const byName = new Map(rebuilt.map((c) => [c.name, c]))
  return (c) => {
    const same = byName.get(c.name)
    if (same !== undefined || c.group === undefined) return same
    const group = byName.get(c.group)
    return group === undefined || group.outcome === 'pass' ? undefined : { ...group, name: c.name }
  }
}
