import type { MatcherState, SyncMatcherResult } from 'vitest'
import { checkInterface } from '../src/compare/interface-checks.ts'
import type { Policy } from '../src/compare/policy.ts'
import { callPolicyOf, expectPair, pairSubject, parityResult, snapshotsOf } from './parity-result.ts'

/** `expect(pair).toHaveInterfaceParity(policy?)`: entrypoint, cmd, env, ports, user, workdir, volumes, labels, … */
export async function toHaveInterfaceParity(
  this: MatcherState,
  received: unknown,
  policy?: Policy,
): Promise<SyncMatcherResult> {
  const pair = expectPair(received, 'toHaveInterfaceParity')
  const callPolicy = callPolicyOf(policy, 'toHaveInterfaceParity')
  const snapshots = await snapshotsOf(pair)
  return parityResult(
    this,
    'toHaveInterfaceParity',
    pairSubject(pair, snapshots),
    checkInterface(...snapshots),
    callPolicy,
  )
}
