import { describe, expect, test } from 'vitest'
import { perfFixtures, perfInjected } from '../../fixtures/images.ts'
import type { ResourceSample } from './container-types.ts'
import { figures, judge, measureResources, mib, type ResourceSide } from './resource-parity.ts'

const MiB = 1024 * 1024
const sample = (memoryBytes: number, cpuCores = 0): ResourceSample => ({ memoryBytes, cpuCores, at: 0 })
const side = (image: string, idle: ResourceSample[], load?: ResourceSample[]): ResourceSide => ({
  image,
  idle: figures(idle),
  ...(load === undefined ? {} : { load: figures(load) }),
})

describe('judge (pure)', () => {
  test('figures are the median and maximum of the samples', () => {
    expect(figures([sample(3 * MiB, 0.1), sample(1 * MiB, 0.5), sample(2 * MiB, 0.2)])).toMatchObject({
      memoryBytes: { median: 2 * MiB, max: 3 * MiB },
      cpuCores: { median: 0.2, max: 0.5 },
    })
  })

  test('memory beyond the ratio and the floor fails, with medians as values', () => {
    const result = judge(side('up', [sample(1 * MiB)]), side('rb', [sample(50 * MiB)]), {})
    expect(result.verdict).toBe('fail')
    expect(result.findings).toEqual([
      {
        check: 'runtime.memory',
        key: 'idle',
        upstream: 1 * MiB,
        rebuilt: 50 * MiB,
        allowed: false,
        message:
          "rebuilt uses 50.00× upstream's memory at idle: median 50.0 MiB vs 1.0 MiB over 1 samples; allowed 1.2× and at least 4.0 MiB more",
      },
    ])
  })

  test('a large ratio of tiny numbers passes under the floor; maxMemoryRatio is honoured', () => {
    expect(judge(side('up', [sample(0.4 * MiB)]), side('rb', [sample(2 * MiB)]), {}).verdict).toBe('pass')
    const up = side('up', [sample(100 * MiB)])
    const rb = side('rb', [sample(130 * MiB)])
    expect(judge(up, rb, {}).verdict).toBe('fail')
    expect(judge(up, rb, { maxMemoryRatio: 1.5 }).verdict).toBe('pass')
  })

  test('CPU is measured always and fails only with maxCpuRatio', () => {
    const up = side('up', [sample(MiB)], [sample(MiB, 0.2)])
    const rb = side('rb', [sample(MiB)], [sample(MiB, 0.8)])
    const load = { http: { port: 8080 } }
    const reported = judge(up, rb, { load })
    expect(reported.verdict).toBe('pass')
    expect(reported.cpu.load?.ratio).toBeCloseTo(4)
    const limited = judge(up, rb, { load, maxCpuRatio: 2 })
    expect(limited.findings).toMatchObject([
      {
        check: 'runtime.cpu',
        key: 'load',
        upstream: 0.2,
        rebuilt: 0.8,
        message: expect.stringMatching(/under GET :8080\//),
      },
    ])
  })

  test('mib formats bytes', () => {
    expect(mib(48 * MiB + MiB / 2)).toBe('48.5 MiB')
  })
})

describe('measureResources (real engine)', () => {
  const ready = { port: 8080, http: { path: '/' } }
  const container = { labels: { 'dev.imgtest': '1' } }

  test('an identical pair passes at idle and under load, with CPU measured under load', async () => {
    const result = await measureResources(
      { upstream: perfFixtures.fast, rebuilt: perfFixtures.fast },
      {
        ready,
        container,
        idleSamples: 2,
        loadSamples: 2,
        load: { http: { port: 8080, path: '/cgi-bin/slow' } },
      },
    )
    expect(result.findings).toEqual([])
    expect(result.verdict).toBe('pass')
    expect(result.upstream.idle.samples).toHaveLength(2)
    expect(result.rebuilt.load?.samples).toHaveLength(2)
    // Under load the server forks a CGI per request: it uses CPU, where at idle it uses none.
    expect(result.upstream.load?.cpuCores.median).toBeGreaterThan(result.upstream.idle.cpuCores.median)
    expect(result.load).toBe('GET :8080/cgi-bin/slow')
  })

  test('an image holding 48 MiB more at idle is caught, by about that much', async () => {
    const result = await measureResources(
      { upstream: perfFixtures.fast, rebuilt: perfFixtures.memoryHungry },
      { ready, container, idleSamples: 2 },
    )
    expect(result.verdict).toBe('fail')
    expect(result.findings.map((f) => `${f.check} ${f.key}`)).toEqual(['runtime.memory idle'])
    const added = result.rebuilt.idle.memoryBytes.median - result.upstream.idle.memoryBytes.median
    expect(Math.abs(added - perfInjected.ballastBytes)).toBeLessThan(perfInjected.ballastBytes / 10)
  })
})
