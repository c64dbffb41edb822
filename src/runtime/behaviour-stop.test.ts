import { execa } from 'execa'
import { afterEach, describe, expect, test } from 'vitest'
import { behaviourFixtures as behave } from '../../fixtures/images.ts'
import { measureStop, stopParity } from './behaviour-stop.ts'
import { SESSION_LABEL, sessionId } from './session-label.ts'

// Real engine; run `node fixtures/build.ts` first.
const options = {
  ready: { port: 8080 },
  deadlineMs: 1500,
  container: { labels: { 'dev.imgtest': '1' } },
} as const

afterEach(async () => {
  const { stdout } = await execa('docker', ['ps', '-aq', '--filter', `label=${SESSION_LABEL}=${sessionId}`])
  expect(stdout.trim()).toBe('')
})

describe('graceful stop (real engine)', () => {
  test('behave-ref exits on its STOPSIGNAL well before the deadline', async () => {
    const stop = await measureStop(behave.ref, options)
    expect(stop).toMatchObject({
      image: behave.ref,
      signal: 'SIGTERM',
      graceful: true,
      exitCode: 0,
      deadlineMs: 1500,
    })
    expect(stop.ms).toBeLessThan(1500)
  })

  test('a PID 1 that ignores SIGTERM is killed at the deadline', async () => {
    const stop = await measureStop(behave.ignoresSigterm, options)
    expect(stop).toMatchObject({ graceful: false, exitCode: 137 })
    expect(stop.ms).toBeGreaterThanOrEqual(1500)
  })

  test('pair: rebuilt ignoring SIGTERM while upstream stops is runtime.stop; identical and both-killed pairs pass', async () => {
    const broken = await stopParity({ upstream: behave.ref, rebuilt: behave.ignoresSigterm }, options)
    expect(broken.findings).toEqual([
      expect.objectContaining({ check: 'runtime.stop', key: 'SIGTERM', rebuilt: 'killed' }),
    ])
    expect((await stopParity({ upstream: behave.ref, rebuilt: behave.ref }, options)).findings).toEqual([])
    const both = await stopParity(
      { upstream: behave.ignoresSigterm, rebuilt: behave.ignoresSigterm },
      options,
    )
    expect(both.findings).toEqual([])
  })

  test('one image alone', async () => {
    expect((await stopParity(behave.ignoresSigterm, options)).findings).toHaveLength(1)
  })
})
