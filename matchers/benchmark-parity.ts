import type { MatcherState, SyncMatcherResult } from 'vitest'
import type { Policy } from '../src/compare/policy.ts'
import { ImgtestError } from '../src/errors.ts'
import { recordMeasurement } from '../src/report/runtime-measurement.ts'
import {
  type BenchmarkOptions,
  type BenchmarkSide,
  measureBenchmark,
} from '../src/runtime/benchmark-parity.ts'
import type { BenchmarkTask } from '../src/runtime/benchmark-task.ts'
import { callPolicyOf, expectPair, pairSubject, parityResult, snapshotsOf } from './parity-result.ts'

export interface BenchmarkParityOptions extends BenchmarkOptions {
  policy?: Policy
}

/**
 * `expect(pair).toHaveBenchmarkParity(task, opts?)`: the same task (an HTTP request, a command in
 * the container, or a function given the container) is no slower on rebuilt, by mean and p99
 * with confidence intervals (see measureBenchmark).
 */
export async function toHaveBenchmarkParity(
  this: MatcherState,
  received: unknown,
  task: BenchmarkTask,
  options: BenchmarkParityOptions = {},
): Promise<SyncMatcherResult> {
  const pair = expectPair(received, 'toHaveBenchmarkParity')
  if (!isTask(task)) {
    throw new ImgtestError(
      'IMGTEST_USAGE',
      'toHaveBenchmarkParity(task) needs { http: { port, path? } }, { command: [...] } or an async function of the container',
    )
  }
  const { policy, ...benchmark } = options
  const callPolicy = callPolicyOf(policy, 'toHaveBenchmarkParity')
  const snapshots = await snapshotsOf(pair)
  const { findings, ...result } = await measureBenchmark(pair, task, benchmark)
  // Every sample would bloat the report: figures only.
  const figures = ({ samplesMs: _, ...side }: BenchmarkSide) => side
  await recordMeasurement(this, {
    matcher: 'toHaveBenchmarkParity',
    subject: pair.name,
    measurement: 'benchmark',
    verdict: result.verdict,
    result: { ...result, upstream: figures(result.upstream), rebuilt: figures(result.rebuilt) },
  })
  return parityResult(this, 'toHaveBenchmarkParity', pairSubject(pair, snapshots), findings, callPolicy)
}

function isTask(task: unknown): task is BenchmarkTask {
  if (typeof task === 'function') return true
  if (typeof task !== 'object' || task === null) return false
  const { http, command } = task as { http?: { port?: unknown }; command?: unknown }
  if (http !== undefined) return typeof http === 'object' && http !== null && Number.isInteger(http.port)
  return Array.isArray(command) && command.length > 0 && command.every((part) => typeof part === 'string')
}

/** The type of the benchmark matcher, for `ImgtestMatchers` in index.ts. */
export interface BenchmarkParityMatchers<R = unknown> {
  /** The same task no slower on rebuilt, by mean and p99 (paired rounds, 95% intervals, tolerance 20%). */
  toHaveBenchmarkParity(task: BenchmarkTask, options?: BenchmarkParityOptions): Promise<R>
}
