import { Bench, type Statistics } from 'tinybench'
import { type Estimate, quantileEstimate } from './timing-stats.ts'

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
