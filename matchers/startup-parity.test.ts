import { describe, expect, test } from 'vitest'
import { perfFixtures, perfInjected } from '../fixtures/images.ts'
import { image, pair } from '../src/index.ts'
import { isRuntimeMeasurement } from '../src/report/runtime-measurement.ts'
import { imgtestMatchers } from './index.ts'

expect.extend(imgtestMatchers)

const ready = { port: 8080, http: { path: '/' } }
const container = { labels: { 'dev.imgtest': '1' } }
const slowStart = pair({ upstream: perfFixtures.fast, rebuilt: perfFixtures.slowStart })
const identical = pair({ upstream: perfFixtures.fast, rebuilt: perfFixtures.fast })

describe('toHaveStartupParity (real engine)', () => {
  test('fails on a 1.5 s later start with the runtime.startup row, and records the measurement', async ({
    task,
  }) => {
    const error = await expect(slowStart)
      .toHaveStartupParity({ ready, runs: 2, maxRuns: 2, container })
      .catch((e: unknown) => e)
    expect(String((error as Error).message)).toMatch(/1 difference not allowed by the policy/)
    expect(String((error as Error).message)).toMatch(
      /runtime\.startup\s+-\s+\d+(\.\d)?\s+\d+(\.\d)?\s+FAIL\s+rebuilt gets ready/,
    )
    const measurement = task.artifacts.find((a) => a.type === 'imgtest:runtime')
    expect(measurement).toMatchObject({
      matcher: 'toHaveStartupParity',
      measurement: 'startup',
      verdict: 'fail',
    })
    const parity = task.artifacts.find((a) => a.type === 'imgtest:parity')
    expect(parity).toMatchObject({ verdict: 'fail', findings: [{ check: 'runtime.startup' }] })
  })

  test('passes on an identical pair, and records medians for reports', async ({ task }) => {
    await expect(identical).toHaveStartupParity({ ready, runs: 3, container })
    const measurement = task.artifacts.find(isRuntimeMeasurement)
    expect(measurement).toMatchObject({ verdict: 'pass', result: { ratio: expect.any(Number) } })
    expect(measurement?.result).toHaveProperty('upstream.median')
  })

  test('a policy allowing runtime.startup accepts the slower start', async () => {
    await expect(slowStart).toHaveStartupParity({
      ready,
      runs: 1,
      maxRuns: 1,
      container,
      policy: { allow: [{ check: 'runtime.startup', reason: 'the rebuild warms a cache first' }] },
    })
  })

  test('needs ready, and a pair', async () => {
    await expect(expect(identical).toHaveStartupParity(undefined as never)).rejects.toThrow(
      /toHaveStartupParity\(\) needs \{ ready \}/,
    )
    await expect(expect(identical.rebuilt).toHaveStartupParity({ ready })).rejects.toThrow(
      /toHaveStartupParity\(\) expects a pair/,
    )
  })
})

describe('toStartWithin (real engine)', () => {
  test('fails when the median is over the limit; the limit and median are the values', async () => {
    // The image sleeps 1.5 s before listening: it cannot be ready within 1 s, however fast the machine.
    const error = await expect(image(perfFixtures.slowStart))
      .toStartWithin(1000, { ready, runs: 1, container })
      .catch((e: unknown) => e)
    expect(String((error as Error).message)).toMatch(
      /runtime\.startup\s+-\s+1000\s+\d+(\.\d)?\s+FAIL\s+gets ready in \d+ ms/,
    )
    expect(perfInjected.startDelayMs).toBeGreaterThan(1000)
  })

  test('passes within the limit (the ready timeout: anything slower would not get ready at all)', async () => {
    await expect(image(perfFixtures.fast)).toStartWithin(60_000, { ready, runs: 1, container })
  })

  test('needs a positive limit and one image', async () => {
    await expect(expect(image(perfFixtures.fast)).toStartWithin(0, { ready })).rejects.toThrow(
      /toStartWithin\(ms\) needs a positive number of ms, got 0/,
    )
    await expect(expect(identical).toStartWithin(1000, { ready })).rejects.toThrow(/name one side/)
  })
})
