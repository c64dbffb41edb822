import { Bench, type Statistics } from 'tinybench'
import { type Estimate, quantileEstimate, type Side } from './timing-stats.ts'

/** One image's benchmark figures in ms, pooled over every round. */
export interface BenchmarkFigures {
  samples: number
  /** Mean with tinybench's 95% confidence interval (mean ± moe, Student's t). */
  mean: Estimate
  /** Relative margin of error of the mean, in percent. */
  rme: number
  p50: number
  /** p99 with a distribution-free 95% interval from order statistics. */
  p99: Estimate
  min: number
  max: number
  sd: number
}

/**
 * tinybench's own statistics of samples measured elsewhere. tinybench computes statistics per task
 * run only, and our samples come from several rounds (interleaved with the other image), so the
 * pooled samples are replayed through a task that reports each one as its `overriddenDuration`:
 * tinybench then computes mean, moe, rme, percentiles on exactly these values.
 *
 * @example
 * pooledStatistics([2.1, 2.3, 1.9]).mean // 2.1
 */
export function pooledStatistics(samples: readonly number[]): Statistics {
  if (samples.length === 0) throw new Error('pooledStatistics: no samples')
  let next = 0
  // time 0: exactly `iterations` runs. async: false skips tinybench's probe call of the function.
  const bench = new Bench({ time: 0, iterations: samples.length, warmup: false })
  bench.add('replay', () => ({ overriddenDuration: samples[next++ % samples.length] }), { async: false })
  const [task] = bench.runSync()
  const result = task?.result
  if (result?.state !== 'completed') throw new Error(`pooledStatistics: tinybench ended ${result?.state}`)
  return result.latency
}

/**
 * The figures a benchmark verdict and report use.
 *
 * @example
 * benchmarkFigures(samples) // { samples: 412, mean: { value: 2.4, low: 2.3, high: 2.5 }, p99: { … }, … }
 */
export function benchmarkFigures(samples: readonly number[]): BenchmarkFigures {
  const stats = pooledStatistics(samples)
  return {
    samples: stats.samplesCount,
    mean: { value: stats.mean, low: stats.mean - stats.moe, high: stats.mean + stats.moe },
    rme: stats.rme,
    p50: stats.p50,
    p99: { ...quantileEstimate(samples, 0.99), value: stats.p99 },
    min: stats.min,
    max: stats.max,
    sd: stats.sd,
  }
}

/**
 * The ratio rebuilt / upstream of a metric with its 95% interval, from the rounds as pairs: each
 * round ran both images back to back, so its ratio cancels what the machine did in that round.
 * tinybench's mean and margin of error of the per-round log ratios (Student's t, rounds − 1
 * degrees of freedom), turned back into a ratio. Pooling every sample instead would treat a burst
 * of load next door as hundreds of independent samples and make the interval far too narrow.
 *
 * @example
 * pairedRatio(rounds, (samples) => quantile(samples, 0.99)) // { value: 1.02, low: 0.91, high: 1.14 }
 */
export function pairedRatio(
  rounds: readonly Record<Side, readonly number[]>[],
  metric: (samples: readonly number[]) => number,
): Estimate {
  const logs = rounds.map((round) => Math.log(metric(round.rebuilt) / metric(round.upstream)))
  if (logs.length < 2 || !logs.every(Number.isFinite)) {
    return { value: Math.exp(mean(logs)), low: 0, high: Number.POSITIVE_INFINITY }
  }
  // tinybench takes durations ≥ 0 only: shift the logs, which moves the mean and leaves the moe.
  const shift = Math.min(...logs)
  const stats = pooledStatistics(logs.map((log) => log - shift))
  const center = stats.mean + shift
  return { value: Math.exp(center), low: Math.exp(center - stats.moe), high: Math.exp(center + stats.moe) }
}

/** The arithmetic mean of `samples`. */
export function mean(samples: readonly number[]): number {
  return samples.reduce((sum, x) => sum + x, 0) / samples.length
}
