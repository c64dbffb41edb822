import { Bench } from 'tinybench'
import type { Finding } from '../compare/finding.ts'
import { newFinding } from '../compare/finding.ts'
import { ImgtestError } from '../errors.ts'
import {
  mean as arithmeticMean,
  type BenchmarkFigures,
  benchmarkFigures,
  pairedRatio,
} from './benchmark-stats.ts'
import {
  type BenchmarkTask,
  defaultReady,
  describeTask,
  type Iteration,
  prepareIteration,
  taskPorts,
} from './benchmark-task.ts'
import type { ContainerOptions, ReadySpec, RunningContainer } from './container-types.ts'
import { startContainer } from './start-container.ts'
import type { ImageLike } from './startup-parity.ts'
import {
  type Estimate,
  formatMs,
  formatRatio,
  interleaveOrder,
  quantile,
  type RatioEstimateVerdict,
  ratioEstimateVerdict,
  type Side,
} from './timing-stats.ts'

export interface BenchmarkOptions {
  /** When each container is ready for the task; an HTTP task defaults to its port accepting connections. */
  ready?: ReadySpec
  /** Rounds; each runs the task on both images, the order alternating ABBA (default 8, at least 2). */
  rounds?: number
  /** tinybench's time budget per image per round, in ms (default 150): short rounds spread a burst of load next door over both images. */
  roundMs?: number
  /** tinybench's minimum iterations per image per round (default 8), so slow tasks still give samples. */
  minIterations?: number
  /** Warm-up before the first round, per image, in ms (default 250): first connections, caches, JIT. */
  warmupMs?: number
  /** Rebuilt may be this fraction slower, on the mean and on p99 (default 0.2). */
  tolerance?: number
  /** Differences under this many ms never fail (default 1: loopback and the port proxy jitter about that much). */
  floorMs?: number
  /** How to run both images (env, cmd, user, …); `ready` comes from above. */
  container?: Omit<ContainerOptions, 'ready'>
}

export interface BenchmarkSide extends BenchmarkFigures {
  image: string
  /** Every iteration's time in ms, pooled over the rounds. */
  samplesMs: number[]
}

export interface BenchmarkResult {
  task: string
  upstream: BenchmarkSide
  rebuilt: BenchmarkSide
  /** Ratio rebuilt / upstream of the per-round means, with its 95% interval, and the verdict on it. */
  mean: RatioEstimateVerdict
  /** The same for the per-round p99. */
  p99: RatioEstimateVerdict
  verdict: 'pass' | 'fail'
  rounds: number
  tolerance: number
  floorMs: number
  findings: Finding[]
}

type Metric = 'mean' | 'p99'
const metrics: Record<Metric, (samples: readonly number[]) => number> = {
  mean: arithmeticMean,
  p99: (samples) => quantile(samples, 0.99),
}

/**
 * Benchmark parity: one container per image, the task run on both in rounds (tinybench per round,
 * the image that goes first alternating ABBA), then mean and p99 compared as paired per-round
 * ratios with a 95% interval (see pairedRatio). A metric fails when rebuilt is slower by more than
 * `floorMs` AND the ratio's whole 95% interval lies above 1 + `tolerance`.
 *
 * @example
 * const result = await measureBenchmark(web, { http: { port: 8080, path: '/api' } })
 * result.mean.ratio, result.mean.interval, result.rebuilt.p99, result.findings
 */
export async function measureBenchmark(
  pair: { upstream: ImageLike; rebuilt: ImageLike },
  task: BenchmarkTask,
  options: BenchmarkOptions = {},
): Promise<BenchmarkResult> {
  const rounds = options.rounds ?? 8
  if (!Number.isInteger(rounds) || rounds < 2) {
    throw new ImgtestError(
      'IMGTEST_USAGE',
      `measureBenchmark(): rounds must be a whole number ≥ 2 (rounds are the pairs the interval is made of), got ${rounds}`,
    )
  }
  const ready = defaultReady(task, options.ready, 'measureBenchmark()')
  const tolerance = options.tolerance ?? 0.2
  const floorMs = options.floorMs ?? 1
  const containers = await startBoth(pair, ready, task, options.container)
  let perRound: Record<Side, number[]>[]
  try {
    const iterations = {
      upstream: await prepareIteration(task, containers.upstream),
      rebuilt: await prepareIteration(task, containers.rebuilt),
    }
    perRound = await runRounds(iterations, rounds, options)
  } finally {
    await Promise.all([containers.upstream.stop({ timeoutMs: 0 }), containers.rebuilt.stop({ timeoutMs: 0 })])
  }
  const side = (name: Side): BenchmarkSide => {
    const samplesMs = perRound.flatMap((round) => round[name])
    return { image: containers[name].image, samplesMs, ...benchmarkFigures(samplesMs) }
  }
  const upstream = side('upstream')
  const rebuilt = side('rebuilt')
  const judge = (metric: Metric) =>
    ratioEstimateVerdict(
      pairedRatio(perRound, metrics[metric]),
      rebuilt[metric].value - upstream[metric].value,
      { tolerance, floor: floorMs },
    )
  const mean = judge('mean')
  const p99 = judge('p99')
  const findings: Finding[] = []
  const name = describeTask(task)
  if (mean.verdict === 'fail') findings.push(metricFinding('mean', name, upstream, rebuilt, mean, tolerance))
  if (p99.verdict === 'fail') findings.push(metricFinding('p99', name, upstream, rebuilt, p99, tolerance))
  const verdict = findings.length > 0 ? 'fail' : 'pass'
  return { task: name, upstream, rebuilt, mean, p99, verdict, rounds, tolerance, floorMs, findings }
}

/** Both containers, started together; if one fails to start the other is removed. */
export async function startBoth(
  pair: { upstream: ImageLike; rebuilt: ImageLike },
  ready: ReadySpec,
  task: BenchmarkTask | undefined,
  container: Omit<ContainerOptions, 'ready'> = {},
): Promise<Record<Side, RunningContainer>> {
  const ports = [...new Set([...(container.ports ?? []), ...(task ? taskPorts(task) : [])])]
  const start = (image: ImageLike) =>
    startContainer(typeof image === 'string' ? image : image.ref, { ...container, ports, ready })
  const [upstream, rebuilt] = await Promise.allSettled([start(pair.upstream), start(pair.rebuilt)])
  if (upstream.status === 'fulfilled' && rebuilt.status === 'fulfilled') {
    return { upstream: upstream.value, rebuilt: rebuilt.value }
  }
  for (const settled of [upstream, rebuilt]) {
    if (settled.status === 'fulfilled') await settled.value.stop({ timeoutMs: 0 })
  }
  throw upstream.status === 'rejected' ? upstream.reason : (rebuilt as PromiseRejectedResult).reason
}

/** tinybench per round, both images in ABBA order, the first round warmed up; samples kept per round. */
async function runRounds(
  iterations: Record<Side, Iteration>,
  rounds: number,
  options: BenchmarkOptions,
): Promise<Record<Side, number[]>[]> {
  const perRound: Record<Side, number[]>[] = []
  for (let round = 0; round < rounds; round++) {
    const bench = new Bench({
      time: options.roundMs ?? 150,
      iterations: options.minIterations ?? 8,
      warmup: round === 0,
      warmupTime: options.warmupMs ?? 250,
      warmupIterations: 4,
      retainSamples: true,
      throws: true,
    })
    for (const side of interleaveOrder(2, 2 * round)) bench.add(side, iterations[side])
    const samples: Record<Side, number[]> = { upstream: [], rebuilt: [] }
    for (const task of await bench.run()) {
      const result = task.result
      if (result.state !== 'completed') throw new Error(`tinybench task ${task.name} ended ${result.state}`)
      samples[task.name as Side].push(...(result.latency.samples ?? []))
    }
    perRound.push(samples)
  }
  return perRound
}

/** `upstream`/`rebuilt`: mean, p99 and sample count, ms rounded to 0.01; the message has the intervals. */
function metricFinding(
  metric: Metric,
  task: string,
  upstream: BenchmarkSide,
  rebuilt: BenchmarkSide,
  verdict: RatioEstimateVerdict,
  tolerance: number,
): Finding {
  const values = (side: BenchmarkSide) => ({
    mean: round2(side.mean.value),
    p99: round2(side.p99.value),
    samples: side.samples,
  })
  const interval = (e: Estimate) => `${formatMs(e.value)} [${formatMs(e.low)}, ${formatMs(e.high)}]`
  const { low, high } = verdict.interval
  return newFinding({
    check: `runtime.benchmark.${metric}`,
    key: task,
    upstream: values(upstream),
    rebuilt: values(rebuilt),
    message:
      `${task}: rebuilt ${metric} ${formatRatio(verdict.ratio)} slower (95% interval ${formatRatio(low)}–${formatRatio(high)} ` +
      `over paired rounds): ${interval(rebuilt[metric])} over ${rebuilt.samples} runs vs ` +
      `${interval(upstream[metric])} over ${upstream.samples} upstream; allowed ${Math.round(tolerance * 100)}%`,
  })
}

const round2 = (ms: number) => Math.round(ms * 100) / 100
