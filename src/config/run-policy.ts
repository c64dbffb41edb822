import type { Policy } from '../compare/policy.ts'

// The policy of imgtest.config.ts for this test run: the runner provides it, the setup file installs it.
let current: Policy | undefined

export function setRunPolicy(policy: Policy | undefined): void {
  current = policy
}

export function runPolicy(): Policy | undefined {
  return current
}
