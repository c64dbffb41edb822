import picomatch from 'picomatch'
import { normalizePort } from './_normalize.ts'
import type { Finding } from './finding.ts'

/**
 * Accepts the findings it selects. Every field given must match (today `check` and `key`), so
 * adding a selector later narrows rules that use it and leaves every existing rule as it was.
 */
export interface AllowRule {
  /** A check id or a glob over ids: `interface.user`, `interface.*`, `size.*`. */
  check: string
  /** An item of the check, exact or glob: `PATH`, `8080/tcp`, `org.opencontainers.*`, `/usr/share/doc/**`. Absent: every item. */
  key?: string
  /** Why the difference is expected; reports show it. */
  reason?: string
}

/** Expected differences between an upstream image and its rebuild. */
export interface Policy {
  allow?: AllowRule[]
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

/** The first rule of `policy` that accepts `finding`, so a report can show its reason. */
export function findAllowRule(finding: Finding, policy: Policy | undefined): AllowRule | undefined {
  return policy?.allow?.find((rule) => matches(rule.check, finding.check) && keyMatches(rule, finding))
}

/**
 * Marks the findings a policy accepts as `allowed: true`. Nothing is dropped: allowed findings still
 * show in reports. Findings already allowed stay allowed, so policies can be applied one after another.
 *
 * @example
 * applyPolicy(findings, { allow: [{ check: 'interface.labels', key: 'org.opencontainers.*' }, { check: 'interface.user' }] })
 */
export function applyPolicy(findings: readonly Finding[], policy?: Policy): Finding[] {
  return findings.map((finding) => ({
    ...finding,
    allowed: finding.allowed || findAllowRule(finding, policy) !== undefined,
  }))
}

/**
 * One policy holding every rule of the given ones, in order (run config, then pair, then matcher call).
 *
 * @example
 * mergePolicies(configPolicy, pair.policy, { allow: [{ check: 'size.total' }] })
 */
export function mergePolicies(...policies: (Policy | undefined)[]): Policy {
  return { allow: policies.flatMap((policy) => policy?.allow ?? []) }
}

export { loadPolicyFile } from './policy-file.ts'
export { policySchema } from './policy-schema.ts'
export { validatePolicy } from './validate-policy.ts'
