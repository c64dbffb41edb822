import { chmod, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, test } from 'vitest'
import { fixtures } from '../../fixtures/images.ts'
import { command } from '../../suites/command.ts'
import { python } from '../../suites/python.ts'
import { onlyCases, runSuiteInBoth } from './suite-parity.ts'

// Real engine on the busybox example pair (upstream runs as root, hardened as 65532).
const labels = { 'dev.imgtest': '1' }
const web = { upstream: fixtures.webUpstream, rebuilt: fixtures.webHardened }
const dirs: string[] = []

afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })))
})

// Passes as root; as another user it fails the first time and passes after (a marker file on the mount).
const flakyOnRebuilt = [
  'sh',
  '-c',
  'test "$(id -u)" = 0 || { [ -f /s/seen ] && exit 0; touch /s/seen; exit 1; }',
]

async function sharedDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'imgtest-suite-'))
  dirs.push(dir)
  await chmod(dir, 0o777)
  return dir
}

describe('runSuiteInBoth (real engine)', () => {
  test('lists every case with both outcomes and finds the regression', async () => {
    const suite = command(
      [
        { name: 'echo', command: ['echo', 'hi'], expect: { stdout: 'hi' } },
        { name: 'uid', command: ['id', '-u'], expect: { stdout: '0' } },
      ],
      { container: { labels } },
    )
    const parity = await runSuiteInBoth(web, suite)
    expect(parity.cases).toEqual([
      { name: 'echo', upstream: 'pass', rebuilt: 'pass' },
      { name: 'uid', upstream: 'pass', rebuilt: 'fail' },
    ])
    expect(parity.findings.map((f) => [f.check, f.key, f.suite, f.allowed])).toEqual([
      ['suite.regressed', 'uid', 'commands', false],
    ])
  })

  test('without retries a flaky case regresses; with one retry it is an allowed suite.flaky', async () => {
    const once = await sharedDir()
    const container = { labels, mounts: [{ source: once, target: '/s' }] }
    const suite = command([{ name: 'flaky', command: flakyOnRebuilt }], { container })
    const strict = await runSuiteInBoth(web, suite)
    expect(strict.findings.map((f) => f.check)).toEqual(['suite.regressed'])

    const again = await sharedDir()
    const retried = await runSuiteInBoth(
      web,
      command([{ name: 'flaky', command: flakyOnRebuilt }], {
        container: { labels, mounts: [{ source: again, target: '/s' }] },
      }),
      { flakyRetries: 2 },
    )
    expect(retried.findings).toEqual([
      expect.objectContaining({ check: 'suite.flaky', key: 'flaky', allowed: true }),
    ])
    expect(retried.findings[0]?.message).toBe('case flaky failed on rebuilt, then passed on retry 1')
    expect(retried.cases).toEqual([{ name: 'flaky', upstream: 'pass', rebuilt: 'pass' }])
    expect(retried.rebuilt.log).toContain('=== retry 1 of flaky')
  })

  test('a case that keeps failing stays regressed after the retries; bad flakyRetries is a usage error', async () => {
    const suite = command([{ name: 'uid', command: ['id', '-u'], expect: { stdout: '0' } }], {
      container: { labels },
    })
    const parity = await runSuiteInBoth(web, suite, { flakyRetries: 1, knownFailures: [] })
    expect(parity.findings.map((f) => f.check)).toEqual(['suite.regressed'])
    await expect(runSuiteInBoth(web, suite, { flakyRetries: -1 })).rejects.toThrow(
      /flakyRetries is a whole number/,
    )
  })
})

describe('onlyCases (what a flaky retry re-runs)', () => {
  test('a command suite keeps the named cases', () => {
    const suite = command([
      { name: 'a', command: ['true'] },
      { name: 'b', command: ['true'] },
    ])
    expect(onlyCases(suite, new Set(['b']))).toMatchObject({ cases: [{ name: 'b' }] })
  })

  test("a Python suite re-runs the named modules, and a test method's module; shard and exclusions go", () => {
    const suite = python({
      tests: ['test_bz2', 'test_json', 'test_zlib'],
      exclude: ['test_zlib'],
      shard: '1/2',
    })
    const names = new Set([
      'test_json',
      'test.test_bz2.BZ2FileTest.testRead',
      'test.test_bz2.BZ2FileTest.testWrite',
    ])
    const retry = onlyCases(suite, names)
    expect(retry).toMatchObject({ kind: 'python', tests: ['test_json', 'test_bz2'] })
    expect(retry).not.toHaveProperty('shard')
    expect(retry).not.toHaveProperty('exclude')
    // Names no module can be read from (a doctest's `json #2`): the whole suite again.
    expect(onlyCases(suite, new Set(['json #2']))).toBe(suite)
  })
})
