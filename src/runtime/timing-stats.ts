/**
 * Noise-aware statistics for startup and benchmark timings: medians, a robust spread, the ratio of
 * medians with a tolerance and an absolute floor, the ABBA order that cancels drift, and how many
 * more runs a noisy measurement needs. Pure functions: no clock, no Docker.
 */

/** Which image a run measures. */
export type Side = 'upstream' | 'rebuilt'

/** The `q` quantile (0…1) of `values`, interpolated linearly between the closest ranks. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const position = (sorted.length - 1) * Math.min(1, Math.max(0, q))
  const below = Math.floor(position)
  const above = Math.ceil(position)
  const low = sorted[below] as number
  return low + ((sorted[above] as number) - low) * (position - below)
}

/** The median of `values`; NaN when there are none. */
export function median(values: readonly number[]): number {
  return quantile(values, 0.5)
}

/**
 * Median absolute deviation, unscaled. imgtest's spread: with 3–7 runs an IQR interpolates between
 * two or three samples and one slow run moves it, while the MAD ignores up to half the runs.
 */
export function medianAbsoluteDeviation(values: readonly number[]): number {
  const center = median(values)
  return median(values.map((value) => Math.abs(value - center)))
}

/** One side's timings in a few numbers, for findings and reports. */
export interface TimingSummary {
  runs: number
  median: number
  /** Median absolute deviation, in the samples' unit. */
  spread: number
  /** `spread / median`: 0.1 means the runs sit about 10% around the median. */
  relativeSpread: number
  min: number
  max: number
}

/**
 * @example
 * summarizeTimings([410, 400, 980]) // { runs: 3, median: 410, spread: 10, relativeSpread: 0.024…, min: 400, max: 980 }
 */
export function summarizeTimings(values: readonly number[]): TimingSummary {
  const middle = median(values)
  const spread = medianAbsoluteDeviation(values)
  return {
    runs: values.length,
    median: middle,
    spread,
    relativeSpread: middle > 0 ? spread / middle : spread > 0 ? Number.POSITIVE_INFINITY : 0,
    min: Math.min(...values),
    max: Math.max(...values),
  }
}

/**
 * The order of `total` runs alternating the sides ABBA (upstream, rebuilt, rebuilt, upstream, …):
 * a slow drift of the machine (a build next door, a warming cache) lands on both sides equally,
 * which plain ABAB does not do for a linear drift.
 *
 * @example
 * interleaveOrder(6) // ['upstream', 'rebuilt', 'rebuilt', 'upstream', 'upstream', 'rebuilt']
 */
export function interleaveOrder(total: number, start = 0): Side[] {
  const order: Side[] = []
  for (let index = start; index < start + total; index++) {
    const pairIndex = Math.floor(index / 2)
    const first: Side = pairIndex % 2 === 0 ? 'upstream' : 'rebuilt'
    const second: Side = first === 'upstream' ? 'rebuilt' : 'upstream'
    order.push(index % 2 === 0 ? first : second)
  }
  return order
}

export interface NoiseGuardOptions {
  /** Runs per side already planned. */
  runs: number
  /** Most runs per side the guard may reach. */
  maxRuns: number
  /** A side is noisy when its relative spread is above this. */
  maxRelativeSpread: number
}

/**
 * How many more runs per side a measurement needs: 0 when both sides are steady or `maxRuns` is
 * reached, else 2 (one ABBA block), so the order stays balanced. A wide spread means one median
 * could be an outlier's neighbour; more runs pull both medians back to the typical run.
 */
export function extraRunsNeeded(
  upstream: readonly number[],
  rebuilt: readonly number[],
  options: NoiseGuardOptions,
): number {
  const done = Math.min(upstream.length, rebuilt.length)
  if (done < options.runs) return options.runs - done
  if (done >= options.maxRuns) return 0
  const noisy = [upstream, rebuilt].some(
    (values) => summarizeTimings(values).relativeSpread > options.maxRelativeSpread,
  )
  return noisy ? Math.min(2, options.maxRuns - done) : 0
}

export interface RatioVerdictOptions {
  /** Rebuilt may be this fraction slower than upstream (0.2 = 20%). */
  tolerance: number
  /** Differences below this (in the values' unit: ms, bytes, cores) never fail, whatever the ratio. */
  floor: number
}

export interface RatioVerdict {
  verdict: 'pass' | 'fail'
  /** rebuilt / upstream; above 1 means the rebuilt image is slower. */
  ratio: number
  /** rebuilt - upstream, in the values' unit. */
  difference: number
}

/**
 * Fails when the rebuilt value is above upstream's by more than `tolerance` AND by more than
 * `floor`. The floor exists because a ratio of small numbers is noise: a 150 ms start that takes
 * 190 ms on a shared machine is 27% slower and means nothing. Faster never fails.
 *
 * @example
 * ratioVerdict(400, 1900, { tolerance: 0.2, floor: 50 }) // { verdict: 'fail', ratio: 4.75, difference: 1500 }
 * ratioVerdict(150, 190, { tolerance: 0.2, floor: 50 }) // pass: 1.27× slower, but by 40 ms only
 */
export function ratioVerdict(upstream: number, rebuilt: number, options: RatioVerdictOptions): RatioVerdict {
  const difference = rebuilt - upstream
  const ratio = upstream > 0 ? rebuilt / upstream : rebuilt > 0 ? Number.POSITIVE_INFINITY : 1
  const slower = ratio > 1 + options.tolerance && difference > options.floor
  return { verdict: slower ? 'fail' : 'pass', ratio, difference }
}

/**
 * The standard error of a median from its MAD: the MAD × 1.4826 estimates a normal σ, and a
 * median's standard error is σ·√(π/2)/√n. Robust to the one slow run a shared machine throws in.
 */
export function medianStandardError(summary: TimingSummary): number {
  return (1.4826 * summary.spread * Math.sqrt(Math.PI / 2)) / Math.sqrt(Math.max(1, summary.runs))
}

/** A verdict on two medians that also says how large the noise was. */
export interface MedianVerdict extends RatioVerdict {
  /** z standard errors of the difference of medians: a smaller difference may be chance. */
  noise: number
  /** The difference exceeds the noise. */
  significant: boolean
}

/**
 * `ratioVerdict` on the medians, and the difference must also stand out of the noise: more than
 * `z` (default 2) standard errors of the difference of the medians. Under load from other jobs an
 * identical pair's medians of 3–6 runs can be 20% apart, always with wide spreads; a real
 * regression (a 1.5 s sleep) is many times its noise.
 *
 * @example
 * medianVerdict(summarizeTimings([290, 300, 310]), summarizeTimings([1790, 1800, 1830]), { tolerance: 0.2, floor: 50 }) // fail
 */
export function medianVerdict(
  upstream: TimingSummary,
  rebuilt: TimingSummary,
  options: RatioVerdictOptions & { z?: number },
): MedianVerdict {
  const point = ratioVerdict(upstream.median, rebuilt.median, options)
  const noise = (options.z ?? 2) * Math.hypot(medianStandardError(upstream), medianStandardError(rebuilt))
  const significant = point.difference > noise
  return { ...point, verdict: point.verdict === 'fail' && significant ? 'fail' : 'pass', noise, significant }
}

/** A point estimate with its confidence interval. */
export interface Estimate {
  value: number
  low: number
  high: number
}

/**
 * The `q` quantile of `values` with a distribution-free confidence interval: the order statistics
 * whose ranks bound the quantile's binomial rank at `z` standard deviations (1.96: 95%). A p99 of
 * 200 samples lies between the 195th and the 200th sample.
 *
 * @example
 * quantileEstimate(samples, 0.99) // { value: 4.1, low: 3.9, high: 6.2 }
 */
export function quantileEstimate(values: readonly number[], q: number, z = 1.96): Estimate {
  const sorted = [...values].sort((a, b) => a - b)
  const n = sorted.length
  const half = z * Math.sqrt(n * q * (1 - q))
  const rank = (r: number) => sorted[Math.min(n, Math.max(1, r)) - 1] as number
  return {
    value: quantile(sorted, q),
    low: rank(Math.floor(n * q - half)),
    high: rank(Math.ceil(n * q + half)),
  }
}

/** A ratio verdict that also knows how sure it is. */
export interface RatioEstimateVerdict extends RatioVerdict {
  /** The ratio's confidence interval (rebuilt / upstream). */
  interval: Estimate
  /** The whole interval lies above 1 + tolerance: rebuilt is slower beyond the tolerance, not by chance. */
  significant: boolean
}

/**
 * Fails when the ratio's whole interval lies above 1 + `tolerance` and the difference of the
 * point values exceeds `floor`. Stricter than "the centre is beyond tolerance": on a shared
 * machine two containers of one image can differ by 20–30% for a whole run, so a verdict must be
 * sure, and a wide interval passes whatever its centre. A clear regression (a 50 ms sleep on a
 * 3 ms request: 12× [9×, 17×]) fails at once; a 25% one needs tight intervals to show.
 *
 * @example
 * ratioEstimateVerdict({ value: 12.5, low: 9.0, high: 17.3 }, 52, { tolerance: 0.2, floor: 1 }) // fail
 * ratioEstimateVerdict({ value: 1.28, low: 1.09, high: 1.49 }, 3, { tolerance: 0.2, floor: 1 }) // pass: may be within 20%
 */
export function ratioEstimateVerdict(
  ratio: Estimate,
  difference: number,
  options: RatioVerdictOptions,
): RatioEstimateVerdict {
  const significant = ratio.low > 1 + options.tolerance
  const slower = significant && difference > options.floor
  return { verdict: slower ? 'fail' : 'pass', ratio: ratio.value, difference, interval: ratio, significant }
}

/** A ratio for messages: `1.04×`. */
export function formatRatio(ratio: number): string {
  return Number.isFinite(ratio) ? `${ratio.toFixed(2)}×` : '∞×'
}

/** Milliseconds for messages: `412 ms`, `3.41 ms`, `0.052 ms`. */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return `${ms} ms`
  const abs = Math.abs(ms)
  const digits = abs >= 100 ? 0 : abs >= 1 ? 2 : 3
  return `${ms.toFixed(digits)} ms`
}
