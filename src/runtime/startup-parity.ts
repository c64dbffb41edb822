import type { Finding } from '../compare/finding.ts'
import { newFinding } from '../compare/finding.ts'
import { ImgtestError } from '../errors.ts'
import type { ContainerOptions, ReadySpec } from './container-types.ts'
import { startContainer } from './start-container.ts'
import {
  extraRunsNeeded,
  formatMs,
  formatRatio,
  interleaveOrder,
  medianVerdict,
  type Side,
  summarizeTimings,
  type TimingSummary,
} from './timing-stats.ts'

/** An image reference, or anything with one (`pair.rebuilt`, `image(ref)`). */
export type ImageLike = string | { readonly ref: string }

export interface StartupOptions {
  /** When a container counts as started; probed from the host. */
  ready: ReadySpec
  /** Runs per side before the noise guard looks (default 5). */
  runs?: number
  /** Rebuilt may start this fraction slower (default 0.2). */
  tolerance?: number
  /** Differences under this many ms never fail (default 50): a tiny image starts in a few hundred ms on a shared, noisy machine. */
  floorMs?: number
  /** The noise guard adds ABBA blocks up to this many runs per side (default 2 × runs). */
  maxRuns?: number
  /** A side is noisy when its MAD is above this fraction of its median (default tolerance / 2). */
  maxRelativeSpread?: number
  /** How to run both images (env, cmd, user, …); `ready` comes from above. */
  container?: Omit<ContainerOptions, 'ready'>
}

/** One image's create→ready times, in run order. */
export interface StartupSide extends TimingSummary {
  image: string
  samplesMs: number[]
}

export interface StartupResult {
  upstream: StartupSide
  rebuilt: StartupSide
  /** Ratio of medians, rebuilt / upstream. */
  ratio: number
  differenceMs: number
  /** Two standard errors of the difference of medians; a smaller difference never fails. */
  noiseMs: number
  verdict: 'pass' | 'fail'
  /** A side was still noisy when the guard reached maxRuns. */
  noisy: boolean
  tolerance: number
  floorMs: number
  findings: Finding[]
}

const refOf = (image: ImageLike): string => (typeof image === 'string' ? image : image.ref)

/**
 * Starts `image` once, waits until ready and removes it; resolves with the create→ready time.
 * The stop is a kill (no grace period): a run measures the start, and a PID 1 that ignores
 * SIGTERM would otherwise add the engine's 10 s timeout to every run.
 */
export async function timeOneStart(
  image: ImageLike,
  ready: ReadySpec,
  container: Omit<ContainerOptions, 'ready'> = {},
): Promise<number> {
  const running = await startContainer(refOf(image), { ...container, ready })
  try {
    return running.readyAfterMs
  } finally {
    await running.stop({ signal: 'SIGKILL', timeoutMs: 0 })
  }
}

/** Validates the numeric options of the startup measurements, naming the caller. */
export function checkRuns(runs: number, where: string): void {
  if (!Number.isInteger(runs) || runs < 1) {
    throw new ImgtestError('IMGTEST_USAGE', `${where}: runs must be a whole number ≥ 1, got ${runs}`)
  }
}

/**
 * Startup parity: create→ready of upstream and rebuilt in interleaved (ABBA) runs, one container
 * at a time. While either side's spread is wide, another ABBA block is run, up to `maxRuns` per
 * side. It fails when the ratio of medians is beyond `tolerance`, the difference beyond `floorMs`
 * and beyond the noise (two standard errors of the difference, from the MADs: see medianVerdict).
 *
 * @example
 * const result = await measureStartup(pair({ upstream: 'web:1', rebuilt: 'web:1-hardened' }), { ready: { port: 8080 } })
 * result.verdict // 'pass'; result.upstream.median, result.rebuilt.samplesMs, result.findings
 */
export async function measureStartup(
  pair: { upstream: ImageLike; rebuilt: ImageLike },
  options: StartupOptions,
): Promise<StartupResult> {
  const runs = options.runs ?? 5
  checkRuns(runs, 'measureStartup()')
  const tolerance = options.tolerance ?? 0.2
  const floorMs = options.floorMs ?? 50
  const guard = {
    runs,
    maxRuns: Math.max(runs, options.maxRuns ?? 2 * runs),
    maxRelativeSpread: options.maxRelativeSpread ?? tolerance / 2,
  }
  const samples: Record<Side, number[]> = { upstream: [], rebuilt: [] }
  for (let extra = runs; extra > 0; extra = extraRunsNeeded(samples.upstream, samples.rebuilt, guard)) {
    const done = samples.upstream.length + samples.rebuilt.length
    for (const side of interleaveOrder(2 * extra, done)) {
      samples[side].push(await timeOneStart(pair[side], options.ready, options.container))
    }
  }
  const side = (name: Side): StartupSide => ({
    image: refOf(pair[name]),
    samplesMs: samples[name],
    ...summarizeTimings(samples[name]),
  })
  const upstream = side('upstream')
  const rebuilt = side('rebuilt')
  const { verdict, ratio, difference, noise } = medianVerdict(upstream, rebuilt, {
    tolerance,
    floor: floorMs,
  })
  const noisy = [upstream, rebuilt].some((s) => s.relativeSpread > guard.maxRelativeSpread)
  const findings =
    verdict === 'fail'
      ? [
          startupFinding(upstream, rebuilt, {
            ratio,
            differenceMs: difference,
            noiseMs: noise,
            tolerance,
            floorMs,
            noisy,
          }),
        ]
      : []
  return {
    upstream,
    rebuilt,
    ratio,
    differenceMs: difference,
    noiseMs: noise,
    verdict,
    noisy,
    tolerance,
    floorMs,
    findings,
  }
}

export interface ImageStartupOptions {
  ready: ReadySpec
  /** Runs of the image (default 3): one run is one sample of a noisy machine; the median of three drops a bad one. */
  runs?: number
  container?: Omit<ContainerOptions, 'ready'>
}

/**
 * create→ready of one image over `runs` runs, one after another.
 *
 * @example
 * (await measureImageStartup('web:1', { ready: { port: 8080 } })).median // 402.7
 */
export async function measureImageStartup(
  image: ImageLike,
  options: ImageStartupOptions,
): Promise<StartupSide> {
  const runs = options.runs ?? 3
  checkRuns(runs, 'measureImageStartup()')
  const samplesMs: number[] = []
  for (let run = 0; run < runs; run++)
    samplesMs.push(await timeOneStart(image, options.ready, options.container))
  return { image: refOf(image), samplesMs, ...summarizeTimings(samplesMs) }
}

/** `upstream` and `rebuilt` are the medians in ms; the message has spreads, runs and the ratio. */
function startupFinding(
  upstream: StartupSide,
  rebuilt: StartupSide,
  facts: {
    ratio: number
    differenceMs: number
    noiseMs: number
    tolerance: number
    floorMs: number
    noisy: boolean
  },
): Finding {
  return newFinding({
    check: 'runtime.startup',
    upstream: round(upstream.median),
    rebuilt: round(rebuilt.median),
    message:
      `rebuilt gets ready ${formatRatio(facts.ratio)} slower (+${formatMs(facts.differenceMs)}, noise ±${formatMs(facts.noiseMs)}): ` +
      `median ${describeSide(rebuilt)} vs ${describeSide(upstream)} upstream; ` +
      `allowed ${Math.round(facts.tolerance * 100)}% and at least ${formatMs(facts.floorMs)}` +
      (facts.noisy ? '; the runs were noisy even after extra runs' : ''),
  })
}

/** `412 ms ±9 ms over 5 runs`. */
export function describeSide(side: TimingSummary): string {
  return `${formatMs(side.median)} ±${formatMs(side.spread)} over ${side.runs} run${side.runs === 1 ? '' : 's'}`
}

export function round(ms: number): number {
  return Math.round(ms * 10) / 10
}
