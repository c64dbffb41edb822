import { describe, expect, test } from 'vitest'
import { perfFixtures } from '../fixtures/images.ts'
import { pair } from '../src/index.ts'
import { isRuntimeMeasurement } from '../src/report/runtime-measurement.ts'
import { imgtestMatchers } from './index.ts'

expect.extend(imgtestMatchers)

const container = { labels: { 'dev.imgtest': '1' } }
const task = { http: { port: 8080, path: '/cgi-bin/slow' } }

describe('toHaveBenchmarkParity (real engine)', () => {
  test('catches a server that delays each response, with the mean row and figures for reports', async ({
    task: t,
  }) => {
    const slow = pair({ upstream: perfFixtures.fast, rebuilt: perfFixtures.slowResponse })
    const error = await expect(slow)
      .toHaveBenchmarkParity(task, { container })
      .catch((e: unknown) => e)
    expect(String((error as Error).message)).toMatch(
      /runtime\.benchmark\.mean\s+GET :8080\/cgi-bin\/slow\s+\{"mean":[\d.]+,"p99":[\d.]+,"samples":\d+\}/,
    )
    const measurement = t.artifacts.find(isRuntimeMeasurement)
    expect(measurement).toMatchObject({ measurement: 'benchmark', verdict: 'fail' })
    // Figures, not every sample, go to reports.
    expect(measurement?.result).toHaveProperty('rebuilt.p99.value')
    expect(measurement?.result).not.toHaveProperty('rebuilt.samplesMs')
  })

  test('passes on an identical pair', async () => {
    await expect(pair({ upstream: perfFixtures.fast, rebuilt: perfFixtures.fast })).toHaveBenchmarkParity(
      task,
      {
        container,
        rounds: 4,
      },
    )
  })

  test('a malformed task is a usage error', async () => {
    const identical = pair({ upstream: perfFixtures.fast, rebuilt: perfFixtures.fast })
    for (const bad of [{ http: { path: '/' } }, { command: [] }, 'GET /', null]) {
      await expect(expect(identical).toHaveBenchmarkParity(bad as never)).rejects.toThrow(
        /toHaveBenchmarkParity\(task\) needs \{ http: \{ port, path\? \} \}, \{ command: \[\.\.\.\] \} or an async function/,
      )
    }
  })
})
