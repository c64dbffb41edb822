import { describe, expect, test } from 'vitest'
import { perfFixtures, perfInjected } from '../../fixtures/images.ts'
import { measureBenchmark } from './benchmark-parity.ts'
import { defaultReady, describeTask, taskPorts } from './benchmark-task.ts'

const container = { labels: { 'dev.imgtest': '1' } }
const identical = { upstream: perfFixtures.fast, rebuilt: perfFixtures.fast }
const slow = { port: 8080, path: '/cgi-bin/slow' }

describe('benchmark tasks (pure)', () => {
  test('describeTask names each kind', () => {
    expect(describeTask({ http: slow })).toBe('GET :8080/cgi-bin/slow')
    expect(describeTask({ http: { port: 80, method: 'HEAD' } })).toBe('HEAD :80/')
    expect(describeTask({ command: ['wget', '-q', 'x'] })).toBe('exec [wget -q x]')
    expect(describeTask(async function ping() {})).toBe('function ping')
  })

  test('an HTTP task is ready when its port is; other tasks must say', () => {
    expect(defaultReady({ http: slow }, undefined, 'here')).toEqual({ port: 8080 })
    expect(defaultReady({ http: slow }, { log: /up/ }, 'here')).toEqual({ log: /up/ })
    expect(() => defaultReady({ command: ['true'] }, undefined, 'measureBenchmark()')).toThrow(
      /measureBenchmark\(\): a command or function task needs the ready option/,
    )
    expect(taskPorts({ http: slow })).toEqual([8080])
    expect(taskPorts({ command: ['true'] })).toEqual([])
  })
})

describe('measureBenchmark (real engine)', () => {
  test('a server that delays each response by 50 ms is caught on mean and p99', async () => {
    const result = await measureBenchmark(
      { upstream: perfFixtures.fast, rebuilt: perfFixtures.slowResponse },
      { http: slow },
      { container },
    )
    expect(result.verdict).toBe('fail')
    expect(result.findings.map((f) => f.check)).toContain('runtime.benchmark.mean')
    expect(result.mean).toMatchObject({ verdict: 'fail', significant: true })
    expect(result.mean.interval.low).toBeGreaterThan(1.2)
    // Measured minus injected: the CGI's sleep is the only difference between the two images.
    const added = result.rebuilt.mean.value - result.upstream.mean.value
    expect(Math.abs(added - perfInjected.responseDelayMs)).toBeLessThan(perfInjected.responseDelayMs / 2)
    const mean = result.findings.find((f) => f.check === 'runtime.benchmark.mean')
    expect(mean).toMatchObject({
      key: 'GET :8080/cgi-bin/slow',
      upstream: { samples: result.upstream.samples },
      rebuilt: { samples: result.rebuilt.samples },
    })
    expect(mean?.message).toMatch(
      /rebuilt mean \d+\.\d\d× slower \(95% interval [\d.]+×–[\d.]+× over paired rounds\): [\d.]+ ms \[[\d.]+ ms, [\d.]+ ms\] over \d+ runs vs/,
    )
    expect(result.rebuilt.samplesMs).toHaveLength(result.rebuilt.samples)
  })

  test('an identical pair passes three times in a row', async () => {
    const verdicts: string[] = []
    const ratios: string[] = []
    for (let repetition = 0; repetition < 3; repetition++) {
      const result = await measureBenchmark(identical, { http: slow }, { container, rounds: 4 })
      verdicts.push(result.verdict)
      ratios.push(`${result.mean.ratio.toFixed(2)}/${result.p99.ratio.toFixed(2)}`)
      expect(result.rounds).toBe(4)
    }
    console.log(`identical benchmark mean/p99 ratios: ${ratios.join(' ')}`)
    expect(verdicts).toEqual(['pass', 'pass', 'pass'])
  })

  test('a command task runs inside both containers', async () => {
    const result = await measureBenchmark(
      identical,
      { command: ['wget', '-qO-', 'http://127.0.0.1:8080/cgi-bin/slow'] },
      { container, ready: { port: 8080 }, rounds: 2, roundMs: 100, minIterations: 3 },
    )
    expect(result.upstream.samples).toBeGreaterThanOrEqual(6)
    expect(result.verdict).toBe('pass')
  })

  test('a command the image lacks fails in one line naming the program', async () => {
    await expect(
      measureBenchmark(
        identical,
        { command: ['curl', '-s', 'http://127.0.0.1:8080/'] },
        { container, ready: { port: 8080 } },
      ),
    ).rejects.toMatchObject({
      code: 'IMGTEST_BENCHMARK_FAILED',
      message: expect.stringMatching(
        /^benchmark exec \[curl -s http:\/\/127\.0\.0\.1:8080\/\] in imgtest-fixture\/perf-fast:1 exited 126: .*"curl": executable file not found.*; the image has no runnable curl/,
      ),
    })
  })

  test('an HTTP error fails before any timing', async () => {
    await expect(
      measureBenchmark(identical, { http: { port: 8080, path: '/missing' } }, { container }),
    ).rejects.toThrow(
      /benchmark GET :8080\/missing in imgtest-fixture\/perf-fast:1 answered HTTP 404; benchmark a path that succeeds/,
    )
  })

  test('a function task gets each running container', async () => {
    const seen = new Set<string>()
    const result = await measureBenchmark(
      identical,
      async (running) => {
        seen.add(running.id)
        await (await fetch(running.url(8080, '/'))).text()
      },
      { container, ready: { port: 8080 }, rounds: 2, roundMs: 50 },
    )
    expect(seen.size).toBe(2)
    expect(result.task).toMatch(/^function/)
  })
})
