import picomatch from 'picomatch'
import { normalizePort } from './_normalize.ts'
import type { Finding } from './finding.ts'

/**
 * Accepts the findings it selects. Every field given must match (today `check`, `key` and
 * `suite`), so adding a selector later narrows rules that use it and leaves every existing rule as it was.
 */
export interface AllowRule {
  /** A check id or a glob over ids: `interface.user`, `interface.*`, `size.*`. */
  check: string
  /** An item of the check, exact or glob: `PATH`, `8080/tcp`, `org.opencontainers.*`, `/usr/share/doc/**`. Absent: every item. */
  key?: string
  /** The suite a `suite.*` finding came from, exact or glob: `cpython`, `docker-library/*`. Absent: any, or none. */
  suite?: string
  /** Why the difference is expected; reports show it. */
  reason?: string
}

/**
 * A case of an upstream suite known to fail on rebuilt: its regression (`suite.regressed`, or
 * `suite.failed` of a single-image run) is allowed, the reason shown. It is an allow rule on those
 * checks keyed by the case, written the way suite owners think of it.
 */
export interface KnownFailure {
  /** The suite's name, exact or glob; absent: any suite. */
  suite?: string
  /** The case's name, exact or glob: `test_ssl`, `test_socket.*`. */
  case: string
  /** Why it fails; reports show it. */
  reason?: string
}

/** Expected differences between an upstream image and its rebuild. */
export interface Policy {
  allow?: AllowRule[]
  knownFailures?: KnownFailure[]
}

/** The checks a known failure allows: a case that regressed, or failed on the one image of `toPassSuite`. */
export const KNOWN_FAILURE_CHECKS = 'suite.{regressed,failed}'

/**
 * The allow rule a known failure is.
 *
 * @example
 * knownFailureRule({ suite: 'cpython', case: 'test_ssl', reason: 'no network in CI' })
 * // { check: 'suite.{regressed,failed}', key: 'test_ssl', suite: 'cpython', reason: 'known failure: no network in CI' }
 */
export function knownFailureRule(known: KnownFailure): AllowRule {
  return {
    check: KNOWN_FAILURE_CHECKS,
    key: known.case,
    ...(known.suite === undefined ? {} : { suite: known.suite }),
    reason: known.reason ? `known failure: ${known.reason}` : 'known failure',
  }
}

/** Every rule of a policy: its allow rules, then its known failures as allow rules. */
export function allowRulesOf(policy: Policy | undefined): AllowRule[] {
  return [...(policy?.allow ?? []), ...(policy?.knownFailures ?? []).map(knownFailureRule)]
}

// Path-style globs (keys are often paths: `*` stays inside a segment, `**` crosses them). `dot` so a
// key's leading dot or a dotfile is not special, `windows: false` so `\` never becomes a separator.
const GLOB_OPTIONS = { dot: true, windows: false }
const matchers = new Map<string, (input: string) => boolean>()

function matches(pattern: string, input: string): boolean {
  if (pattern === input) return true
  let matcher = matchers.get(pattern)
  if (matcher === undefined) {
    matcher = picomatch(pattern, GLOB_OPTIONS)
    matchers.set(pattern, matcher)
  }
  return matcher(input)
}

function keyMatches(rule: AllowRule, finding: Finding): boolean {
  if (rule.key === undefined) return true
  if (finding.key === undefined) return false
  if (matches(rule.key, finding.key)) return true
  // Ports are compared with `8080` == `8080/tcp`; a rule should read the same way.
  return (
    finding.check === 'interface.ports' && !rule.key.includes('*') && normalizePort(rule.key) === finding.key
  )
}

function suiteMatches(rule: AllowRule, finding: Finding): boolean {
  if (rule.suite === undefined) return true
  return finding.suite !== undefined && matches(rule.suite, finding.suite)
}

/** The first rule of `policy` (allow rules, then known failures) that accepts `finding`, so a report can show its reason. */
export function findAllowRule(finding: Finding, policy: Policy | undefined): AllowRule | undefined {
  return allowRulesOf(policy).find(
    (rule) => matches(rule.check, finding.check) && keyMatches(rule, finding) && suiteMatches(rule, finding),
  )
}

/**
 * Marks the findings a policy accepts as `allowed: true`, with the accepting rule's `reason` when
 * it gives one. Nothing is dropped: allowed findings still show in reports. Findings already
 * allowed stay as they are, so policies can be applied one after another.
 *
 * @example
 * applyPolicy(findings, { allow: [{ check: 'interface.labels', key: 'org.opencontainers.*' }, { check: 'interface.user' }] })
 */
export function applyPolicy(findings: readonly Finding[], policy?: Policy): Finding[] {
  return findings.map((finding) => {
    if (finding.allowed) return { ...finding }
    const rule = findAllowRule(finding, policy)
    if (rule === undefined) return { ...finding }
    return { ...finding, allowed: true, ...(rule.reason ? { reason: rule.reason } : {}) }
  })
}

/**
 * One policy holding every rule of the given ones, in order (run config, then pair, then matcher
 * call), known failures turned into the allow rules they are.
 *
 * @example
 * mergePolicies(configPolicy, pair.policy, { allow: [{ check: 'size.total' }] })
 */
export function mergePolicies(...policies: (Policy | undefined)[]): Policy {
  return { allow: policies.flatMap(allowRulesOf) }
}

export { loadPolicyFile } from './policy-file.ts'
export { policySchema } from './policy-schema.ts'
export { validatePolicy } from './validate-policy.ts'
