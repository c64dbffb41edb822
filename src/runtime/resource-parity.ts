import type { Finding } from '../compare/finding.ts'
import { newFinding } from '../compare/finding.ts'
import { ImgtestError } from '../errors.ts'
import { startBoth } from './benchmark-parity.ts'
import { type BenchmarkTask, describeTask, type Iteration, prepareIteration } from './benchmark-task.ts'
import type { ContainerOptions, ReadySpec, ResourceSample, RunningContainer } from './container-types.ts'
import type { ImageLike } from './startup-parity.ts'
import {
  formatRatio,
  interleaveOrder,
  median,
  type RatioVerdict,
  ratioVerdict,
  type Side,
} from './timing-stats.ts'

export interface ResourceOptions {
  /** When each container counts as started; sampling begins then. */
  ready: ReadySpec
  /** A benchmark task run in a loop while the loaded samples are taken; without it only idle is measured. */
  load?: BenchmarkTask
  /** Samples per image at idle (default 3); each engine sample spans about a second. */
  idleSamples?: number
  /** Samples per image under load (default 3), taken in ABBA order, one image loaded at a time. */
  loadSamples?: number
  /** Rebuilt may use at most this many times upstream's memory (default 1.2). */
  maxMemoryRatio?: number
  /** Rebuilt may use at most this many times upstream's CPU; without it CPU is reported, never failed. */
  maxCpuRatio?: number
  /** Memory differences under this many bytes never fail (default 4 MiB): a busybox server idles at about 0.5 MiB, where one more forked helper is +20%. */
  memoryFloorBytes?: number
  /** CPU differences under this many cores never fail (default 0.05: 5% of one core). */
  cpuFloorCores?: number
  /** How to run both images; `ready` comes from above. */
  container?: Omit<ContainerOptions, 'ready'>
}

/** One image's samples in one phase, and their median and maximum. */
export interface ResourceFigures {
  memoryBytes: { median: number; max: number }
  cpuCores: { median: number; max: number }
  samples: ResourceSample[]
}

export interface ResourceSide {
  image: string
  idle: ResourceFigures
  load?: ResourceFigures
}

export type Phase = 'idle' | 'load'

export interface ResourceResult {
  upstream: ResourceSide
  rebuilt: ResourceSide
  /** Ratio verdicts of the medians, per phase measured. */
  memory: Partial<Record<Phase, RatioVerdict>>
  cpu: Partial<Record<Phase, RatioVerdict>>
  load?: string
  verdict: 'pass' | 'fail'
  findings: Finding[]
}

const MiB = 1024 * 1024

/**
 * Resource parity: both images started, memory and CPU sampled through the Engine stats API at
 * idle (both at once) and, with `load`, while the task runs in a loop against one image at a time.
 * Memory fails above `maxMemoryRatio` × upstream (and the floor); CPU only when `maxCpuRatio` is given.
 *
 * @example
 * const result = await measureResources(web, { ready: { port: 8080 }, load: { http: { port: 8080 } } })
 * result.rebuilt.idle.memoryBytes.median, result.findings
 */
export async function measureResources(
  pair: { upstream: ImageLike; rebuilt: ImageLike },
  options: ResourceOptions,
): Promise<ResourceResult> {
  const idleSamples = count(options.idleSamples ?? 3, 'idleSamples')
  const loadSamples = count(options.loadSamples ?? 3, 'loadSamples')
  const containers = await startBoth(pair, options.ready, options.load, options.container)
  const samples: Record<Phase, Record<Side, ResourceSample[]>> = {
    idle: { upstream: [], rebuilt: [] },
    load: { upstream: [], rebuilt: [] },
  }
  try {
    for (let i = 0; i < idleSamples; i++) {
      const [up, rb] = await Promise.all([containers.upstream.stats(), containers.rebuilt.stats()])
      samples.idle.upstream.push(up)
      samples.idle.rebuilt.push(rb)
    }
    if (options.load !== undefined) {
      const iterations = {
        upstream: await prepareIteration(options.load, containers.upstream),
        rebuilt: await prepareIteration(options.load, containers.rebuilt),
      }
      for (const side of interleaveOrder(2 * loadSamples)) {
        samples.load[side].push(await sampleUnderLoad(containers[side], iterations[side]))
      }
    }
  } finally {
    await Promise.all([containers.upstream.stop({ timeoutMs: 0 }), containers.rebuilt.stop({ timeoutMs: 0 })])
  }
  const side = (name: Side): ResourceSide => ({
    image: containers[name].image,
    idle: figures(samples.idle[name]),
    ...(options.load === undefined ? {} : { load: figures(samples.load[name]) }),
  })
  return judge(side('upstream'), side('rebuilt'), options)
}

/** One stats sample of `container` while `iteration` runs back to back against it. */
async function sampleUnderLoad(container: RunningContainer, iteration: Iteration): Promise<ResourceSample> {
  let running = true
  const loop = (async () => {
    while (running) await iteration()
  })()
  try {
    return await container.stats()
  } finally {
    running = false
    await loop
  }
}

export function figures(samples: ResourceSample[]): ResourceFigures {
  const memory = samples.map((s) => s.memoryBytes)
  const cpu = samples.map((s) => s.cpuCores)
  return {
    memoryBytes: { median: median(memory), max: Math.max(...memory) },
    cpuCores: { median: median(cpu), max: Math.max(...cpu) },
    samples,
  }
}

/** Verdicts and findings from measured figures; pure, so the thresholds are tested without Docker. */
export function judge(
  upstream: ResourceSide,
  rebuilt: ResourceSide,
  options: Omit<ResourceOptions, 'ready'>,
): ResourceResult {
  const maxMemoryRatio = options.maxMemoryRatio ?? 1.2
  const memoryFloor = options.memoryFloorBytes ?? 4 * MiB
  const cpuFloor = options.cpuFloorCores ?? 0.05
  const phases: Phase[] = upstream.load && rebuilt.load ? ['idle', 'load'] : ['idle']
  const memory: ResourceResult['memory'] = {}
  const cpu: ResourceResult['cpu'] = {}
  const findings: Finding[] = []
  for (const phase of phases) {
    const up = upstream[phase] as ResourceFigures
    const rb = rebuilt[phase] as ResourceFigures
    const mem = ratioVerdict(up.memoryBytes.median, rb.memoryBytes.median, {
      tolerance: maxMemoryRatio - 1,
      floor: memoryFloor,
    })
    memory[phase] = mem
    if (mem.verdict === 'fail') {
      findings.push(
        newFinding({
          check: 'runtime.memory',
          key: phase,
          upstream: Math.round(up.memoryBytes.median),
          rebuilt: Math.round(rb.memoryBytes.median),
          message:
            `rebuilt uses ${formatRatio(mem.ratio)} upstream's memory ${phaseWords(phase, options)}: ` +
            `median ${mib(rb.memoryBytes.median)} vs ${mib(up.memoryBytes.median)} over ${rb.samples.length} samples; ` +
            `allowed ${maxMemoryRatio}× and at least ${mib(memoryFloor)} more`,
        }),
      )
    }
    const cores = ratioVerdict(up.cpuCores.median, rb.cpuCores.median, {
      tolerance: (options.maxCpuRatio ?? Number.POSITIVE_INFINITY) - 1,
      floor: cpuFloor,
    })
    cpu[phase] = cores
    if (cores.verdict === 'fail' && options.maxCpuRatio !== undefined) {
      findings.push(
        newFinding({
          check: 'runtime.cpu',
          key: phase,
          upstream: round3(up.cpuCores.median),
          rebuilt: round3(rb.cpuCores.median),
          message:
            `rebuilt uses ${formatRatio(cores.ratio)} upstream's CPU ${phaseWords(phase, options)}: ` +
            `median ${round3(rb.cpuCores.median)} vs ${round3(up.cpuCores.median)} cores; allowed ${options.maxCpuRatio}×`,
        }),
      )
    }
  }
  return {
    upstream,
    rebuilt,
    memory,
    cpu,
    ...(options.load === undefined ? {} : { load: describeTask(options.load) }),
    verdict: findings.length > 0 ? 'fail' : 'pass',
    findings,
  }
}

function phaseWords(phase: Phase, options: Omit<ResourceOptions, 'ready'>): string {
  return phase === 'idle' || options.load === undefined ? 'at idle' : `under ${describeTask(options.load)}`
}

function count(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new ImgtestError(
      'IMGTEST_USAGE',
      `measureResources(): ${name} must be a whole number ≥ 1, got ${value}`,
    )
  }
  return value
}

/** `48.8 MiB`. */
export function mib(bytes: number): string {
  return `${(bytes / MiB).toFixed(1)} MiB`
}

const round3 = (n: number) => Math.round(n * 1000) / 1000
