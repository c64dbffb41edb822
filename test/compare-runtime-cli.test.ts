import { describe, expect, test } from 'vitest'
import { behaviourFixtures } from '../fixtures/images.ts'
import type { Finding } from '../src/compare/finding.ts'
import { imgtest, imgtestLeftovers } from './cli.ts'

const runtime = [
  '--runtime',
  '--ready-port',
  '8080',
  '--ready-http',
  '/cgi-bin/info',
  '--startup-runs',
  '2',
  '--no-stop',
]

describe('imgtest compare --runtime (real containers)', () => {
  test('a changed JSON answer is a runtime.http finding; nothing is left running', async () => {
    const result = await imgtest([
      'compare',
      '--json',
      ...runtime,
      behaviourFixtures.ref,
      behaviourFixtures.httpChanged,
    ])
    expect(result.stderr).toBe('')
    const { verdict, findings } = JSON.parse(result.stdout) as { verdict: string; findings: Finding[] }
    expect(findings.filter((f) => f.check.startsWith('runtime.')).map((f) => f.check)).toEqual([
      'runtime.http.body',
    ])
    expect(verdict).toBe('fail')
    expect(result.exitCode).toBe(1)
    expect(await imgtestLeftovers()).toEqual([])
  })

  test('the identical pair has no runtime finding', async () => {
    const result = await imgtest([
      'compare',
      '--json',
      ...runtime,
      behaviourFixtures.ref,
      behaviourFixtures.ref,
    ])
    const { findings } = JSON.parse(result.stdout) as { findings: Finding[] }
    expect(findings).toEqual([])
    expect(result.exitCode).toBe(0)
  })

  test('--runtime without a readiness option is a usage error', async () => {
    const result = await imgtest(['compare', '--runtime', behaviourFixtures.ref, behaviourFixtures.ref])
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toMatch(/compare --runtime needs a readiness option.*\[IMGTEST_USAGE\]/)
  })
})
