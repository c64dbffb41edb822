import { describe, expect, test } from 'vitest'
import {
  extraRunsNeeded,
  formatMs,
  formatRatio,
  interleaveOrder,
  median,
  medianAbsoluteDeviation,
  medianStandardError,
  medianVerdict,
  quantile,
  quantileEstimate,
  ratioEstimateVerdict,
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

describe('quantileEstimate and ratioEstimateVerdict', () => {
  const ramp = (n: number, offset = 0) => Array.from({ length: n }, (_, i) => offset + i + 1)

  test('p99 of 200 samples is bounded by the 195th and the 200th', () => {
    expect(quantileEstimate(ramp(200), 0.99)).toEqual({ value: 198.01, low: 195, high: 200 })
  })

  test('few samples: the interval clamps to the largest', () => {
    expect(quantileEstimate([3, 1, 2], 0.99)).toMatchObject({ low: 2, high: 3 })
  })

  test('an interval reaching below 1 + tolerance passes, whatever its centre', () => {
    const options = { tolerance: 0.2, floor: 1 }
    expect(ratioEstimateVerdict({ value: 1.5, low: 0.95, high: 2.4 }, 5, options)).toMatchObject({
      verdict: 'pass',
      significant: false,
      ratio: 1.5,
    })
    // Measured on an identical pair on a loaded machine: surely slower, not surely beyond 20%.
    expect(ratioEstimateVerdict({ value: 1.28, low: 1.09, high: 1.49 }, 3, options).verdict).toBe('pass')
  })

  test('an interval wholly above 1 + tolerance fails, unless the difference is under the floor', () => {
    const options = { tolerance: 0.2, floor: 1 }
    const clear = { value: 12.5, low: 9, high: 17.3 }
    expect(ratioEstimateVerdict(clear, 52, options)).toMatchObject({ verdict: 'fail', significant: true })
    expect(ratioEstimateVerdict(clear, 0.5, options)).toMatchObject({ verdict: 'pass', significant: true })
    expect(ratioEstimateVerdict({ value: 1.3, low: 1.21, high: 1.4 }, 50, options).verdict).toBe('fail')
  })
})

test('formatting for messages', () => {
  expect(formatRatio(1.04)).toBe('1.04×')
  expect(formatRatio(Number.POSITIVE_INFINITY)).toBe('∞×')
  expect(formatMs(412.4)).toBe('412 ms')
  expect(formatMs(3.412)).toBe('3.41 ms')
  expect(formatMs(0.0523)).toBe('0.052 ms')
})

describe('medianVerdict', () => {
  const options = { tolerance: 0.2, floor: 50 }

  test("a median's standard error from the MAD: 1.4826·MAD·√(π/2)/√n", () => {
    expect(medianStandardError(summarizeTimings([90, 100, 110, 100]))).toBeCloseTo(
      (1.4826 * 5 * 1.2533) / 2,
      3,
    )
  })

  test('a 1.5 s later start with ordinary spreads fails', () => {
    const verdict = medianVerdict(
      summarizeTimings([290, 300, 330]),
      summarizeTimings([1790, 1800, 1860]),
      options,
    )
    expect(verdict).toMatchObject({ verdict: 'fail', significant: true, difference: 1500 })
    expect(verdict.noise).toBeLessThan(100)
  })

  test('medians 21% apart inside wide spreads pass: the difference may be chance', () => {
    // Shaped like an identical pair measured while other test files ran on the same 2 CPUs.
    const upstream = summarizeTimings([250, 300, 330, 290, 380, 260])
    const rebuilt = summarizeTimings([300, 420, 340, 390, 330, 480])
    const verdict = medianVerdict(upstream, rebuilt, options)
    expect(verdict.ratio).toBeGreaterThan(1.2)
    expect(verdict.difference).toBeGreaterThan(50)
    expect(verdict).toMatchObject({ verdict: 'pass', significant: false })
  })

  test('steady runs 30% apart fail: tight spreads make a small difference real', () => {
    const verdict = medianVerdict(
      summarizeTimings([300, 302, 298]),
      summarizeTimings([390, 392, 388]),
      options,
    )
    expect(verdict).toMatchObject({ verdict: 'fail', significant: true })
  })
})
