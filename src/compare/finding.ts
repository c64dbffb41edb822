/**
 * One difference between upstream and rebuilt. `check` is a stable dotted id
 * (`interface.env`, `size.total`, …); `key` names the item inside it (an env
 * variable, a port, a label). `allowed` is true when a policy accepted it.
 */
export interface Finding {
  check: string
  key?: string
  /** The suite a `suite.*` finding came from, so a policy can name it. */
  suite?: string
  upstream?: unknown
  rebuilt?: unknown
  allowed: boolean
  message: string
  /** Why a policy allowed it (its rule's `reason`), for reports. */
  reason?: string
}

/** Verdict of a list of findings: it fails when any finding is not allowed. */
export function verdictOf(findings: readonly Finding[]): 'pass' | 'fail' {
  return findings.some((finding) => !finding.allowed) ? 'fail' : 'pass'
}

/**
 * A not-yet-allowed finding with absent sides and key left out rather than set to undefined,
 * so JSON output and deep equality see only what is there.
 *
 * @example
 * newFinding({ check: 'interface.ports', key: '8080/tcp', upstream: '8080/tcp', message: 'PORT 8080/tcp exposed upstream, not exposed in rebuilt' })
 */
export function newFinding(fields: Omit<Finding, 'allowed' | 'reason'>): Finding {
  // Built in DESIGN's field order so JSON reads check, key, (suite,) upstream, rebuilt, allowed, message.
  return {
    check: fields.check,
    ...(fields.key === undefined ? {} : { key: fields.key }),
    ...(fields.suite === undefined ? {} : { suite: fields.suite }),
    ...(fields.upstream === undefined ? {} : { upstream: fields.upstream }),
    ...(fields.rebuilt === undefined ? {} : { rebuilt: fields.rebuilt }),
    allowed: false,
    message: fields.message,
  }
}
