import { describe, expect, test } from 'vitest'
import { perfFixtures, perfInjected } from '../../fixtures/images.ts'
import { measureImageStartup, measureStartup } from './startup-parity.ts'

// Ready on an HTTP answer: the slow-start image's port is published (docker-proxy) before httpd listens.
const ready = { port: 8080, http: { path: '/' } }
const container = { labels: { 'dev.imgtest': '1' } }

describe('measureStartup (real engine)', () => {
  test('a rebuilt image that starts 1.5 s later is caught, and the difference is the injected delay', async () => {
    const result = await measureStartup(
      { upstream: perfFixtures.fast, rebuilt: perfFixtures.slowStart },
      { ready, runs: 3, container },
    )
    expect(result.verdict).toBe('fail')
    expect(result.upstream.samplesMs).toHaveLength(result.upstream.runs)
    expect(result.upstream.runs).toBeGreaterThanOrEqual(3)
    // Measured minus injected: the rest is scheduling noise of a shared machine, well under the delay.
    expect(Math.abs(result.differenceMs - perfInjected.startDelayMs)).toBeLessThan(
      perfInjected.startDelayMs / 4,
    )
    expect(result.ratio).toBeGreaterThan(2)
    expect(result.noiseMs).toBeLessThan(result.differenceMs)
    const [finding] = result.findings
    expect(finding).toMatchObject({
      check: 'runtime.startup',
      upstream: expect.closeTo(result.upstream.median, 0),
      rebuilt: expect.closeTo(result.rebuilt.median, 0),
      allowed: false,
    })
    expect(finding?.message).toMatch(
      /rebuilt gets ready \d+\.\d\d× slower \(\+\d+ ms, noise ±[\d.]+ ms\): median \d+ ms ±[\d.]+ ms over \d+ runs vs/,
    )
  })

  test('an identical pair passes 10 times in a row (3 runs a side each)', async () => {
    const started = performance.now()
    const outcomes: { verdict: string; ratio: number; runs: number }[] = []
    const noise: string[] = []
    for (let repetition = 0; repetition < 10; repetition++) {
      const result = await measureStartup(
        { upstream: perfFixtures.fast, rebuilt: perfFixtures.fast },
        { ready, runs: 3, container },
      )
      outcomes.push({ verdict: result.verdict, ratio: result.ratio, runs: result.upstream.runs })
      noise.push(`${result.differenceMs.toFixed(0)}/${result.noiseMs.toFixed(0)}`)
    }
    const seconds = (performance.now() - started) / 1000
    console.log(
      `identical pair ×10: ${seconds.toFixed(1)} s; ratios ${outcomes.map((o) => o.ratio.toFixed(2)).join(' ')}; ` +
        `runs per side ${outcomes.map((o) => o.runs).join(' ')}; difference/noise ms ${noise.join(' ')}`,
    )
    expect(outcomes.map((o) => o.verdict)).toEqual(Array(10).fill('pass'))
  })

  test('the noise guard never goes past maxRuns', async () => {
    // A zero spread allowance makes any two different times noisy, so the guard runs until the cap.
    const result = await measureStartup(
      { upstream: perfFixtures.fast, rebuilt: perfFixtures.fast },
      { ready, runs: 2, maxRuns: 3, maxRelativeSpread: 0, container },
    )
    expect([result.upstream.runs, result.rebuilt.runs]).toEqual([3, 3])
    expect(result.noisy).toBe(true)
  })

  test('measureImageStartup: the median of the runs asked for', async () => {
    const side = await measureImageStartup(perfFixtures.slowStart, { ready, runs: 2, container })
    expect(side.samplesMs).toHaveLength(2)
    expect(side.median).toBeGreaterThan(perfInjected.startDelayMs)
  })

  test('runs must be a whole number', async () => {
    await expect(
      measureStartup({ upstream: perfFixtures.fast, rebuilt: perfFixtures.fast }, { ready, runs: 0 }),
    ).rejects.toThrow(/measureStartup\(\): runs must be a whole number ≥ 1, got 0/)
  })
})
