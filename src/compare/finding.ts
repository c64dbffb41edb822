/**
 * One difference between upstream and rebuilt. `check` is a stable dotted id
 * (`interface.env`, `size.total`, …); `key` names the item inside it (an env
 * variable, a port, a label). `allowed` is true when a policy accepted it.
 */
export interface Finding {
  check: string
  key?: string
  upstream?: unknown
  rebuilt?: unknown
  allowed: boolean
  message: string
}

/** Verdict of a list of findings: it fails when any finding is not allowed. */
export function verdictOf(findings: readonly Finding[]): 'pass' | 'fail' {
  return findings.some((finding) => !finding.allowed) ? 'fail' : 'pass'
}
