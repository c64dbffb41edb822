import { describe, expect, test } from 'vitest'
import {
  extraRunsNeeded,
  formatMs,
  formatRatio,
  interleaveOrder,
  intervalVerdict,
  median,
  medianAbsoluteDeviation,
  quantile,
  quantileEstimate,
  ratioVerdict,
  summarizeTimings,
} from './timing-stats.ts'

describe('median and spread', () => {
  test('median of odd and even counts, unsorted input left alone', () => {
    const values = [5, 1, 3]
    expect(median(values)).toBe(3)
    expect(values).toEqual([5, 1, 3])
    expect(median([4, 1, 3, 2])).toBe(2.5)
    expect(median([])).toBeNaN()
  })

  test('quantile interpolates between ranks and clamps q', () => {
    expect(quantile([10, 20, 30, 40, 50], 0.25)).toBe(20)
    expect(quantile([10, 20], 0.75)).toBe(17.5)
    expect(quantile([1, 2, 3], 2)).toBe(3)
    expect(quantile([1, 2, 3], -1)).toBe(1)
  })

  test('MAD ignores one wild run among five, where the range does not', () => {
    const steady = [400, 410, 405, 395, 402]
    const withOutlier = [400, 410, 405, 395, 2400]
    expect(medianAbsoluteDeviation(steady)).toBe(3)
    expect(medianAbsoluteDeviation(withOutlier)).toBe(5)
    expect(summarizeTimings(withOutlier)).toMatchObject({
      runs: 5,
      median: 405,
      spread: 5,
      min: 395,
      max: 2400,
    })
  })

  test('relative spread is spread over median', () => {
    expect(summarizeTimings([90, 100, 110]).relativeSpread).toBeCloseTo(0.1)
    expect(summarizeTimings([0, 0, 0]).relativeSpread).toBe(0)
  })
})

describe('interleaveOrder', () => {
  test('ABBA: every block of four has both sides twice, first runs alternate', () => {
    expect(interleaveOrder(8)).toEqual([
      'upstream',
      'rebuilt',
      'rebuilt',
      'upstream',
      'upstream',
      'rebuilt',
      'rebuilt',
      'upstream',
    ])
  })

  test('continues the pattern from a start index, so added runs stay balanced', () => {
    expect([...interleaveOrder(6), ...interleaveOrder(2, 6)]).toEqual(interleaveOrder(8))
  })

  test('a linear drift adds the same total to both sides over whole ABBA blocks', () => {
    const order = interleaveOrder(12)
    const drift = { upstream: 0, rebuilt: 0 }
    order.forEach((side, index) => {
      drift[side] += index
    })
    expect(drift.upstream).toBe(drift.rebuilt)
  })
})

describe('extraRunsNeeded (noise guard)', () => {
  const options = { runs: 5, maxRuns: 9, maxRelativeSpread: 0.1 }

  test('first reaches the planned runs', () => {
    expect(extraRunsNeeded([1, 2], [1], options)).toBe(4)
  })

  test('steady sides need nothing more', () => {
    expect(extraRunsNeeded([400, 402, 398, 401, 399], [410, 405, 408, 412, 406], options)).toBe(0)
  })

  test('one noisy side asks for one more ABBA block, up to maxRuns', () => {
    const noisy = [300, 600, 450, 900, 350]
    expect(extraRunsNeeded([400, 402, 398, 401, 399], noisy, options)).toBe(2)
    expect(
      extraRunsNeeded([400, 402, 398, 401, 399, 400, 400, 400], [...noisy, 300, 900, 300], options),
    ).toBe(1)
    expect(extraRunsNeeded(Array(9).fill(400), [...noisy, 300, 900, 300, 900], options)).toBe(0)
  })
})

describe('ratioVerdict', () => {
  const options = { tolerance: 0.2, floor: 50 }

  test('a 1.5 s later start fails, with the ratio and the difference', () => {
    expect(ratioVerdict(400, 1900, options)).toEqual({ verdict: 'fail', ratio: 4.75, difference: 1500 })
  })

  test('within the tolerance passes, however large the numbers', () => {
    expect(ratioVerdict(10_000, 11_900, options).verdict).toBe('pass')
    expect(ratioVerdict(10_000, 12_100, options).verdict).toBe('fail')
  })

  test('above the tolerance but under the floor passes: small numbers are noise', () => {
    expect(ratioVerdict(150, 190, options)).toMatchObject({ verdict: 'pass', difference: 40 })
    expect(ratioVerdict(150, 201, options).verdict).toBe('fail')
  })

  test('faster never fails; a zero upstream gives an infinite ratio', () => {
    expect(ratioVerdict(1900, 400, options).verdict).toBe('pass')
    expect(ratioVerdict(0, 100, options)).toMatchObject({ verdict: 'fail', ratio: Number.POSITIVE_INFINITY })
    expect(ratioVerdict(0, 0, options).ratio).toBe(1)
  })
})

describe('quantileEstimate and intervalVerdict', () => {
  const ramp = (n: number, offset = 0) => Array.from({ length: n }, (_, i) => offset + i + 1)

  test('p99 of 200 samples is bounded by the 195th and the 200th', () => {
    expect(quantileEstimate(ramp(200), 0.99)).toEqual({ value: 198.01, low: 195, high: 200 })
  })

  test('few samples: the interval clamps to the largest', () => {
    expect(quantileEstimate([3, 1, 2], 0.99)).toMatchObject({ low: 2, high: 3 })
  })

  test('overlapping intervals pass even when the point ratio is beyond tolerance', () => {
    const upstream = { value: 10, low: 8, high: 20 }
    const rebuilt = { value: 15, low: 9, high: 30 }
    expect(intervalVerdict(upstream, rebuilt, { tolerance: 0.2, floor: 1 })).toMatchObject({
      verdict: 'pass',
      separated: false,
      ratio: 1.5,
    })
  })

  test('separated intervals beyond tolerance and floor fail', () => {
    const upstream = { value: 3, low: 2.9, high: 3.1 }
    const rebuilt = { value: 53, low: 52.8, high: 53.3 }
    expect(intervalVerdict(upstream, rebuilt, { tolerance: 0.2, floor: 1 })).toMatchObject({
      verdict: 'fail',
      separated: true,
    })
    expect(intervalVerdict(upstream, rebuilt, { tolerance: 0.2, floor: 60 }).verdict).toBe('pass')
  })
})

test('formatting for messages', () => {
  expect(formatRatio(1.04)).toBe('1.04×')
  expect(formatRatio(Number.POSITIVE_INFINITY)).toBe('∞×')
  expect(formatMs(412.4)).toBe('412 ms')
  expect(formatMs(3.412)).toBe('3.41 ms')
  expect(formatMs(0.0523)).toBe('0.052 ms')
})
