import type { MatcherState, SyncMatcherResult } from 'vitest'
import type { Policy } from '../src/compare/policy.ts'
import { ImgtestError } from '../src/errors.ts'
import { recordMeasurement } from '../src/report/runtime-measurement.ts'
import { measureResources, type ResourceOptions } from '../src/runtime/resource-parity.ts'
import { callPolicyOf, expectPair, pairSubject, parityResult, snapshotsOf } from './parity-result.ts'

export interface ResourceParityOptions extends ResourceOptions {
  policy?: Policy
}

/**
 * `expect(pair).toHaveResourceParity({ ready, maxMemoryRatio?, load?, maxCpuRatio? })`: rebuilt uses
 * at most `maxMemoryRatio` (default 1.2) × upstream's memory at idle and under `load`; CPU is
 * measured too and fails only with `maxCpuRatio` (see measureResources).
 */
export async function toHaveResourceParity(
  this: MatcherState,
  received: unknown,
  options: ResourceParityOptions,
): Promise<SyncMatcherResult> {
  const pair = expectPair(received, 'toHaveResourceParity')
  if (options?.ready === undefined) {
    throw new ImgtestError(
      'IMGTEST_USAGE',
      'toHaveResourceParity() needs { ready }: how to tell the container started, e.g. { ready: { port: 8080 } }',
    )
  }
  const { policy, ...resources } = options
  const callPolicy = callPolicyOf(policy, 'toHaveResourceParity')
  const snapshots = await snapshotsOf(pair)
  const { findings, ...result } = await measureResources(pair, resources)
  await recordMeasurement(this, {
    matcher: 'toHaveResourceParity',
    subject: pair.name,
    measurement: 'resources',
    verdict: result.verdict,
    result: { ...result },
  })
  return parityResult(this, 'toHaveResourceParity', pairSubject(pair, snapshots), findings, callPolicy)
}

/** The type of the resource matcher, for `ImgtestMatchers` in index.ts. */
export interface ResourceParityMatchers<R = unknown> {
  /** Memory at idle (and under `load`) at most `maxMemoryRatio` (default 1.2) × upstream's; CPU with `maxCpuRatio`. */
  toHaveResourceParity(options: ResourceParityOptions): Promise<R>
}
