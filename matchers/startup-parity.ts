import type { MatcherState, SyncMatcherResult } from 'vitest'
import { newFinding } from '../src/compare/finding.ts'
import type { Policy } from '../src/compare/policy.ts'
import { ImgtestError } from '../src/errors.ts'
import { recordMeasurement } from '../src/report/runtime-measurement.ts'
import {
  describeSide,
  type ImageStartupOptions,
  measureImageStartup,
  measureStartup,
  round,
  type StartupOptions,
} from '../src/runtime/startup-parity.ts'
import { formatMs } from '../src/runtime/timing-stats.ts'
import {
  callPolicyOf,
  expectImage,
  expectPair,
  imageSubject,
  pairSubject,
  parityResult,
  snapshotsOf,
} from './parity-result.ts'

export interface StartupParityOptions extends StartupOptions {
  policy?: Policy
}

/**
 * `expect(pair).toHaveStartupParity({ ready, runs?, tolerance? })`: the rebuilt image gets ready no
 * slower than upstream, by the ratio of medians of interleaved runs (see measureStartup).
 */
export async function toHaveStartupParity(
  this: MatcherState,
  received: unknown,
  options: StartupParityOptions,
): Promise<SyncMatcherResult> {
  const pair = expectPair(received, 'toHaveStartupParity')
  const { policy, ...startup } = needReady(options, 'toHaveStartupParity')
  const callPolicy = callPolicyOf(policy, 'toHaveStartupParity')
  const snapshots = await snapshotsOf(pair)
  const { findings, ...result } = await measureStartup(pair, startup)
  await recordMeasurement(this, {
    matcher: 'toHaveStartupParity',
    subject: pair.name,
    measurement: 'startup',
    verdict: result.verdict,
    result: { ...result },
  })
  return parityResult(this, 'toHaveStartupParity', pairSubject(pair, snapshots), findings, callPolicy)
}

export interface StartWithinOptions extends ImageStartupOptions {
  policy?: Policy
}

/**
 * `expect(pair.rebuilt).toStartWithin(ms, { ready, runs? })`: the median create→ready time of `runs`
 * runs (default 3: one run on a shared machine can be an outlier) is at most `ms`.
 */
export async function toStartWithin(
  this: MatcherState,
  received: unknown,
  ms: number,
  options: StartWithinOptions,
): Promise<SyncMatcherResult> {
  const handle = expectImage(received, 'toStartWithin')
  if (typeof ms !== 'number' || !(ms > 0)) {
    throw new ImgtestError(
      'IMGTEST_USAGE',
      `toStartWithin(ms) needs a positive number of ms, got ${String(ms)}`,
    )
  }
  const { policy, ...startup } = needReady(options, 'toStartWithin')
  const callPolicy = callPolicyOf(policy, 'toStartWithin')
  const snapshot = await handle.snapshot()
  const side = await measureImageStartup(handle, startup)
  const verdict = side.median <= ms ? 'pass' : 'fail'
  await recordMeasurement(this, {
    matcher: 'toStartWithin',
    subject: handle.ref,
    measurement: 'startup',
    verdict,
    result: { image: side, limitMs: ms },
  })
  const findings =
    verdict === 'pass'
      ? []
      : [
          newFinding({
            check: 'runtime.startup',
            upstream: ms,
            rebuilt: round(side.median),
            message: `gets ready in ${describeSide(side)} (median), over the limit of ${formatMs(ms)}`,
          }),
        ]
  return parityResult(this, 'toStartWithin', imageSubject(snapshot), findings, callPolicy)
}

function needReady<T extends { ready?: unknown }>(options: T | undefined, matcher: string): T {
  if (options?.ready === undefined) {
    throw new ImgtestError(
      'IMGTEST_USAGE',
      `${matcher}() needs { ready }: how to tell the container started, e.g. { ready: { port: 8080 } }`,
    )
  }
  return options
}

/** The types of the startup matchers, for `ImgtestMatchers` in index.ts. */
export interface StartupParityMatchers<R = unknown> {
  /** create→ready of rebuilt within `tolerance` (default 20%) of upstream's, by medians of interleaved runs. */
  toHaveStartupParity(options: StartupParityOptions): Promise<R>
  /** On one image: the median create→ready time of `runs` (default 3) runs is at most `ms`. */
  toStartWithin(ms: number, options: StartWithinOptions): Promise<R>
}
