import type { MatcherState, SyncMatcherResult } from 'vitest'
import { checkPackages, type PackageCheckOptions } from '../src/compare/package-checks.ts'
import type { Policy } from '../src/compare/policy.ts'
import { callPolicyOf, expectPair, pairSubject, parityResult } from './parity-result.ts'

export interface PackageParityOptions extends PackageCheckOptions {
  policy?: Policy
}

/**
 * `expect(pair).toHavePackageParity({ ecosystems? })`: every package upstream ships is in rebuilt at
 * the same or a newer version, and keeps its copyright/license files.
 */
export async function toHavePackageParity(
  this: MatcherState,
  received: unknown,
  options: PackageParityOptions = {},
): Promise<SyncMatcherResult> {
  const pair = expectPair(received, 'toHavePackageParity')
  const { policy, ...checkOptions } = options
  const callPolicy = callPolicyOf(policy, 'toHavePackageParity')
  const [upstream, rebuilt] = await Promise.all([pair.upstream.contents(), pair.rebuilt.contents()])
  const subject = pairSubject(pair, [upstream.snapshot, rebuilt.snapshot])
  return parityResult(
    this,
    'toHavePackageParity',
    subject,
    checkPackages(upstream, rebuilt, checkOptions),
    callPolicy,
  )
}
