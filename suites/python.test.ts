import { execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { execa } from 'execa'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { fixtures } from '../fixtures/images.ts'
import { pair } from '../src/compare/image-pair.ts'
import { SESSION_LABEL, sessionId } from '../src/runtime/session-label.ts'
import { regrtestCommand } from '../src/suite/run-python-suite.ts'
import { runSuite } from '../src/suite/run-suite.ts'
import { runSuiteInBoth } from '../src/suite/suite-parity.ts'
import type { SuiteProgress } from '../src/suite/suite-progress.ts'
import { python } from './python.ts'

describe('suites.python()', () => {
  test('defaults: python3, tests from the upstream image, one worker per CPU, the whole suite', () => {
    expect(python()).toEqual({
      kind: 'python',
      name: 'cpython',
      python: 'python3',
      from: 'upstream',
      jobs: 0,
      granularity: 'module',
    })
    expect(regrtestCommand(python())).toEqual(['python3', '-m', 'test', '-j0'])
  })

  test('selection, exclusion, -j, -u and --timeout on the regrtest command line', () => {
    const suite = python({
      tests: ['test_bz2', 'test_json', 'test_zlib'],
      exclude: ['test_zlib'],
      jobs: 2,
      resources: ['network', 'cpu'],
      testTimeoutSec: 600,
    })
    expect(regrtestCommand(suite)).toEqual([
      'python3',
      '-m',
      'test',
      '-j2',
      '-u',
      'network,cpu',
      '--timeout',
      '600',
      'test_bz2',
      'test_json',
    ])
    expect(regrtestCommand(python({ exclude: ['test_socket'] })).slice(-2)).toEqual(['-x', 'test_socket'])
    expect(regrtestCommand(python({ tests: ['test_bz2'], granularity: 'method' }))).toEqual([
      'python3',
      '-m',
      'test',
      '-j0',
      '--junit-xml',
      '/imgtest/out/regrtest.xml',
      'test_bz2',
    ])
  })

  test.each([
    [{ tests: [] }, /tests is a non-empty list of regrtest test names/],
    [{ tests: ['bz2'] }, /not "bz2"/],
    [{ exclude: ['test_x; rm -rf /'] }, /exclude is a non-empty list/],
    [{ jobs: -1 }, /jobs is a whole number/],
    [{ resources: ['all,-gui'] }, /resources is a list of regrtest resource names/],
    [{ testTimeoutSec: 0 }, /testTimeoutSec must be a positive number/],
    [{ from: './tests' }, /from is 'upstream' or \{ source/],
    [{ granularity: 'case' }, /granularity is 'module' or 'method'/],
  ])('rejects %j with one line', (options, message) => {
    expect(() => python(options as never)).toThrow(message)
  })
})

// Real engine on the Debian Python pair: upstream has Debian's libpython3.11-testsuite, rebuilt
// has no tests and no _bz2.
describe('suites.python() on the Debian Python pair (real engine)', () => {
  const selection = { tests: ['test_bz2', 'test_json', 'test_dbm_gnu'], jobs: 2 }
  let host: string
  let stdlib: string

  beforeAll(() => {
    host = mkdtempSync(join(tmpdir(), 'imgtest-python-tests-'))
    // The tests as docs/suites.md tells users to bring them from Debian's mirror: Debian splits
    // the test package, regrtest itself in libpython3.11-stdlib, the tests in -testsuite.
    const packages = ['libpython3.11-stdlib', 'libpython3.11-testsuite']
    execFileSync('apt-get', ['download', ...packages], { cwd: host, stdio: 'ignore' })
    for (const deb of readdirSync(host).filter((name) => name.endsWith('.deb')))
      execFileSync('dpkg-deb', ['-x', deb, 'pkg'], { cwd: host })
    stdlib = join(host, 'pkg/usr/lib/python3.11')
  })

  afterAll(async () => {
    rmSync(host, { recursive: true, force: true })
    const { stdout } = await execa('docker', ['ps', '-aq', '--filter', `label=${SESSION_LABEL}=${sessionId}`])
    expect(stdout.trim()).toBe('')
  })

  test("the upstream's tests run with rebuilt's interpreter: test_bz2 regresses, nothing else", async () => {
    const progress: SuiteProgress[] = []
    const parity = await runSuiteInBoth(
      pair({ upstream: fixtures.pythonUpstream, rebuilt: fixtures.pythonRebuilt }),
      python(selection),
      { onProgress: (p) => progress.push(p) },
    )
    expect(parity.cases).toEqual([
      { name: 'test_bz2', upstream: 'pass', rebuilt: 'skip' },
      { name: 'test_dbm_gnu', upstream: 'skip', rebuilt: 'skip' },
      { name: 'test_json', upstream: 'pass', rebuilt: 'pass' },
    ])
    expect(parity.findings.map((f) => [f.check, f.key, f.allowed])).toEqual([
      ['suite.regressed', 'test_bz2', false],
    ])
    expect(parity.rebuilt.log).toContain(`tests: /usr/lib/python3.11/test of ${fixtures.pythonUpstream}`)
    // Progress streamed from regrtest's output, per image, up to 3 of 3.
    for (const image of [fixtures.pythonUpstream, fixtures.pythonRebuilt]) {
      const counts = progress.filter((p) => p.image === image).map((p) => p.done)
      expect(counts[0]).toBe(0)
      expect(counts.at(-1)).toBe(3)
      expect(counts).toEqual(expect.arrayContaining([1, 2]))
      expect(counts).toEqual([...counts].sort())
    }
    expect(parity.upstream.log).toContain(
      `tests: /usr/lib/python3.11/test of ${fixtures.pythonUpstream} itself`,
    )
  })

  test("per test method: test_bz2's methods regress with the module's reason, and so do test_tarfile's bz2 methods, which module granularity hides", async () => {
    const web = pair({ upstream: fixtures.pythonUpstream, rebuilt: fixtures.pythonRebuilt })
    const tests = ['test_bz2', 'test_tarfile']
    const byModule = await runSuiteInBoth(web, python({ tests, jobs: 2 }))
    expect(byModule.findings.map((f) => f.key)).toEqual(['test_bz2'])
    const byMethod = await runSuiteInBoth(web, python({ tests, jobs: 2, granularity: 'method' }))
    const regressed = byMethod.findings.filter((f) => f.check === 'suite.regressed' && !f.allowed)
    expect(byMethod.findings.filter((f) => !f.allowed)).toEqual(regressed)
    const bz2 = regressed.filter((f) => f.key?.startsWith('test.test_bz2.'))
    const tarfile = regressed.filter((f) => f.key?.startsWith('test.test_tarfile.'))
    expect(bz2.length + tarfile.length).toBe(regressed.length)
    expect(bz2.length).toBeGreaterThan(50)
    expect(bz2[0]?.message).toMatch(/passes upstream, is skipped on rebuilt: No module named '_bz2'$/)
    // Only test_tarfile's bz2 variants, skipped for the missing module, not the rest of test_tarfile.
    expect(tarfile.length).toBeGreaterThan(20)
    expect(tarfile.every((f) => /\.Bz2\w*\./.test(f.key ?? ''))).toBe(true)
    expect(byMethod.cases.filter((c) => c.name.startsWith('test.test_tarfile.')).length).toBeGreaterThan(400)
  })

  test('a shard of the selection, or of the whole suite as regrtest lists it; both images run the same part', async () => {
    const parity = await runSuiteInBoth(
      pair({ upstream: fixtures.pythonUpstream, rebuilt: fixtures.pythonRebuilt }),
      python({ tests: ['test_base64', 'test_bz2', 'test_json'], jobs: 2, shard: '2/2' }),
    )
    expect(parity.cases).toEqual([{ name: 'test_bz2', upstream: 'pass', rebuilt: 'skip' }])
    expect(parity.rebuilt.log).toContain('shard 2/2: 1 of 3 tests')
    // The whole suite, listed with --list-tests through the mounted tests: shard 1 of 400 starts
    // with the first test regrtest lists (test_grammar: it runs its basic tests first).
    const whole = await runSuite(fixtures.pythonRebuilt, python({ jobs: 1, shard: '1/400' }), {
      upstream: fixtures.pythonUpstream,
    })
    const line = /shard 1\/400: (\d+) of (\d+) tests/.exec(whole.log)
    expect(Number(line?.[2])).toBeGreaterThan(400)
    expect(whole.cases.map((c) => c.name)).toContain('test_grammar')
    expect(whole.cases).toHaveLength(Number(line?.[1]))
  })

  test("tests from a host directory: Debian's package, extracted", async () => {
    const run = await runSuite(
      fixtures.pythonRebuilt,
      python({ ...selection, tests: ['test_json'], from: { source: stdlib } }),
    )
    expect(run.cases).toEqual([{ name: 'test_json', outcome: 'pass' }])
  })

  test('no tests where they are looked for, or no Python at all: one clear error', async () => {
    await expect(
      runSuite(fixtures.pythonRebuilt, python(selection), { upstream: fixtures.pythonRebuilt }),
    ).rejects.toThrow(
      /^imgtest-fixture\/python-rebuilt:3\.11 has no CPython test package at \/usr\/lib\/python3\.11\/test; install Debian's libpython3\.X-testsuite/,
    )
    await expect(runSuite(fixtures.pythonRebuilt, python({ from: { source: host } }))).rejects.toThrow(
      /holds no complete CPython test package \(no libregrtest\/ in it or in its test\/\); Debian splits it: extract both libpython3\.X-stdlib/,
    )
    await expect(runSuite(fixtures.webUpstream, python(selection))).rejects.toThrow(
      /^python3 does not run as a Python 3 interpreter in example\/web:1 \(exit \d+.*\); give its name or path/,
    )
  })

  test('a hanging test module is stopped at the budget with a clear error; nothing is left running', async () => {
    writeFileSync(
      join(stdlib, 'test/test_zz_hang.py'),
      'import time, unittest\n\nclass Hang(unittest.TestCase):\n    def test_hang(self):\n        time.sleep(3600)\n',
    )
    const run = await runSuite(
      fixtures.pythonRebuilt,
      python({
        tests: ['test_json', 'test_zz_hang'],
        jobs: 1,
        timeoutMs: 15_000,
        from: { source: stdlib },
      }),
    )
    expect(run.timedOut).toBe(true)
    // What finished before the budget ran out keeps its outcome; the hanging module is the error.
    expect(run.cases).toEqual([
      { name: 'test_json', outcome: 'pass' },
      {
        name: 'test_zz_hang',
        outcome: 'error',
        output: "stopped: the suite's timeout of 15000 ms ran out before regrtest reported it",
      },
    ])
  })
})
