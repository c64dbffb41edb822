import { describe, expect, test } from 'vitest'
import { benchmarkFigures, mean, pairedRatio, pooledStatistics } from './benchmark-stats.ts'

describe('pooledStatistics (tinybench on replayed samples)', () => {
  test('exactly the samples given: count, mean, extremes, percentiles', () => {
    const samples = Array.from({ length: 200 }, (_, i) => i + 1)
    const stats = pooledStatistics(samples)
    expect(stats.samplesCount).toBe(200)
    expect(stats.mean).toBeCloseTo(100.5)
    expect([stats.min, stats.max, stats.p50]).toEqual([1, 200, 100.5])
    expect(stats.p99).toBeCloseTo(198.01)
  })

  test("the margin of error is Student's t times the standard error", () => {
    const samples = [2, 4, 4, 4, 5, 5, 7, 9]
    const stats = pooledStatistics(samples)
    const sd = Math.sqrt(samples.reduce((sum, x) => sum + (x - 5) ** 2, 0) / (samples.length - 1))
    expect(stats.sd).toBeCloseTo(sd)
    // t(0.975, 7) = 2.3646
    expect(stats.moe).toBeCloseTo((2.3646 * sd) / Math.sqrt(samples.length), 3)
  })

  test('order does not matter and nothing is dropped', () => {
    const a = pooledStatistics([5, 1, 3, 2, 4])
    const b = pooledStatistics([1, 2, 3, 4, 5])
    expect(a.mean).toBe(b.mean)
    expect(a.samplesCount).toBe(5)
  })

  test('no samples is a programming error', () => {
    expect(() => pooledStatistics([])).toThrow(/no samples/)
  })
})

test('benchmarkFigures: mean ± moe as an interval, p99 with its order-statistic interval', () => {
  const samples = Array.from({ length: 200 }, (_, i) => i + 1)
  const figures = benchmarkFigures(samples)
  expect(figures.samples).toBe(200)
  expect(figures.mean.high - figures.mean.value).toBeCloseTo(figures.mean.value - figures.mean.low)
  expect(figures.rme).toBeCloseTo((100 * (figures.mean.high - figures.mean.value)) / figures.mean.value)
  expect(figures.p99).toEqual({ value: 198.01, low: 195, high: 200 })
})

describe('pairedRatio', () => {
  const round = (upstream: number[], rebuilt: number[]) => ({ upstream, rebuilt })

  test('a steady 2× slowdown: ratio 2 with a tight interval', () => {
    const rounds = [round([1, 1], [2, 2]), round([3, 3], [6, 6]), round([2, 2], [4, 4])]
    const ratio = pairedRatio(rounds, mean)
    expect(ratio.value).toBeCloseTo(2)
    expect(ratio.low).toBeCloseTo(2)
    expect(ratio.high).toBeCloseTo(2)
  })

  test('drift between rounds cancels: each round is compared with itself', () => {
    // The machine is 10× slower in round 2, for both images alike.
    const rounds = [round([1], [1.1]), round([10], [11]), round([1], [1.1]), round([10], [11])]
    expect(pairedRatio(rounds, mean).value).toBeCloseTo(1.1)
    expect(pairedRatio(rounds, mean).low).toBeCloseTo(1.1)
  })

  test('ratios on both sides of 1 give an interval around 1 (the shift for tinybench keeps it exact)', () => {
    const rounds = [round([1], [0.5]), round([1], [2]), round([1], [0.5]), round([1], [2])]
    const ratio = pairedRatio(rounds, mean)
    expect(ratio.value).toBeCloseTo(1)
    expect(ratio.low).toBeLessThan(1)
    expect(ratio.high).toBeGreaterThan(1)
    expect(ratio.low * ratio.high).toBeCloseTo(1)
  })

  test('one round says nothing about its spread: the interval is unbounded', () => {
    const ratio = pairedRatio([round([1], [3])], mean)
    expect(ratio.value).toBeCloseTo(3)
    expect([ratio.low, ratio.high]).toEqual([0, Number.POSITIVE_INFINITY])
  })
})
