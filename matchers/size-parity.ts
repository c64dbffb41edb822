import type { MatcherState, SyncMatcherResult } from 'vitest'
import type { Policy } from '../src/compare/policy.ts'
import { checkSize, type SizeOptions } from '../src/compare/size-checks.ts'
import { callPolicyOf, expectPair, pairSubject, parityResult, snapshotsOf } from './parity-result.ts'

export interface SizeParityOptions extends SizeOptions {
  policy?: Policy
}

/** `expect(pair).toHaveSizeParity({ maxRatio: 1, slackBytes })`: the rebuilt image is no bigger than allowed. */
export async function toHaveSizeParity(
  this: MatcherState,
  received: unknown,
  options: SizeParityOptions = {},
): Promise<SyncMatcherResult> {
  const pair = expectPair(received, 'toHaveSizeParity')
  const { policy, ...sizeOptions } = options
  const callPolicy = callPolicyOf(policy, 'toHaveSizeParity')
  const snapshots = await snapshotsOf(pair)
  return parityResult(
    this,
    'toHaveSizeParity',
    pairSubject(pair, snapshots),
    checkSize(...snapshots, sizeOptions),
    callPolicy,
  )
}
