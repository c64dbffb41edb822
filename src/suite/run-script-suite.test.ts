import { fileURLToPath } from 'node:url'
import { execa } from 'execa'
import { afterEach, describe, expect, test } from 'vitest'
import { fixtures } from '../../fixtures/images.ts'
import { SESSION_LABEL, sessionId } from '../runtime/session-label.ts'
import { compareOutcomes } from './compare-outcomes.ts'
import { runSuite } from './run-suite.ts'
import type { ScriptSuite } from './suite-types.ts'

// Real engine on the busybox example pair (upstream runs as root, hardened as 65532).
const container = { labels: { 'dev.imgtest': '1' } }
const testdata = (dir: string) => fileURLToPath(new URL(`testdata/${dir}`, import.meta.url))

afterEach(async () => {
  const { stdout } = await execa('docker', ['ps', '-aq', '--filter', `label=${SESSION_LABEL}=${sessionId}`])
  expect(stdout.trim()).toBe('')
})

const junit: ScriptSuite = {
  kind: 'script',
  name: 'sanity',
  tests: { source: testdata('junit-suite') },
  command: ['sh', '/imgtest/tests/run.sh'],
  results: { junit: 'report.xml' },
  container,
}

describe('runSuite with a script suite (real engine)', () => {
  test('tests mounted in, JUnit XML read from the output dir, one case per testcase', async () => {
    const [upstream, rebuilt] = await Promise.all([
      runSuite(fixtures.webUpstream, junit),
      runSuite(fixtures.webHardened, junit),
    ])
    expect(upstream.cases).toEqual([
      { name: 'sanity.echo', outcome: 'pass' },
      { name: 'sanity.runs_as_root', outcome: 'pass' },
      { name: 'sanity.needs_network', outcome: 'skip' },
    ])
    expect(rebuilt.cases[1]).toEqual({ name: 'sanity.runs_as_root', outcome: 'fail', output: 'uid is 65532' })
    expect(compareOutcomes(upstream.cases, rebuilt.cases).map((f) => [f.check, f.key])).toEqual([
      ['suite.regressed', 'sanity.runs_as_root'],
    ])
  })

  test('tests copied out of an image are mounted into another', async () => {
    // example/web ships /srv/www; the hardened image runs its check against its own copy.
    const run = await runSuite(fixtures.webHardened, {
      ...junit,
      tests: { fromImage: fixtures.webUpstream, path: '/srv/www/' },
      command: ['diff', '-r', '/imgtest/tests', '/srv/www'],
      results: 'exit',
    })
    expect(run.cases).toEqual([{ name: 'sanity', outcome: 'pass' }])
    const missing = runSuite(fixtures.webHardened, {
      ...junit,
      tests: { fromImage: fixtures.webUpstream, path: '/no/tests' },
    })
    await expect(missing).rejects.toThrow(/\/no\/tests is not in example\/web:1/)
  })

  test('TAP on stdout', async () => {
    const run = await runSuite(fixtures.webHardened, {
      ...junit,
      tests: { source: testdata('tap-suite'), target: '/t' },
      command: ['sh', '/t/run.sh'],
      results: 'tap',
    })
    expect(run.cases).toEqual([
      { name: 'echo', outcome: 'pass' },
      { name: 'runs as root', outcome: 'fail' },
    ])
  })

  test('a suite that writes no report is one error case saying so; exit results are one case', async () => {
    const silent = await runSuite(fixtures.webUpstream, { ...junit, command: ['true'] })
    expect(silent.cases).toEqual([
      {
        name: 'sanity',
        outcome: 'error',
        output: 'no JUnit testcases in /imgtest/out/report.xml (exit code 0)',
      },
    ])
    const exit = await runSuite(fixtures.webUpstream, { ...junit, command: ['false'], results: 'exit' })
    expect(exit.cases).toEqual([{ name: 'sanity', outcome: 'fail', output: 'exit code 1' }])
  })

  test('a TAP suite stopped at its timeout keeps the cases it had reported', async () => {
    const run = await runSuite(fixtures.webUpstream, {
      ...junit,
      command: ['sh', '-c', 'echo 1..2; echo "ok 1 - quick"; sleep 3600'],
      results: 'tap',
      timeoutMs: 3000,
    })
    expect(run.timedOut).toBe(true)
    expect(run.cases).toEqual([{ name: 'quick', outcome: 'pass' }])
    expect(run.log).toContain('output until then:\n1..2\nok 1 - quick\n')
  })

  test('a hanging suite is stopped at its timeout with a clear error; nothing is left running', async () => {
    const run = await runSuite(fixtures.webUpstream, {
      ...junit,
      command: ['sleep', '3600'],
      timeoutMs: 2000,
    })
    expect(run.timedOut).toBe(true)
    expect(run.cases).toEqual([
      {
        name: 'sanity',
        outcome: 'error',
        output: "stopped: still running when the suite's timeout of 2000 ms ran out",
      },
    ])
  })
})
