import { execa } from 'execa'
import { afterEach, describe, expect, test } from 'vitest'
import { fixtures } from '../../fixtures/images.ts'
import { command } from '../../suites/command.ts'
import { SESSION_LABEL, sessionId } from '../runtime/session-label.ts'
import { compareOutcomes } from './compare-outcomes.ts'
import { runSuite } from './run-suite.ts'

// Real engine on the busybox example pair; run `node fixtures/build.ts` first.
const container = { labels: { 'dev.imgtest': '1' } }

async function leftovers(): Promise<string> {
  const { stdout } = await execa('docker', ['ps', '-aq', '--filter', `label=${SESSION_LABEL}=${sessionId}`])
  return stdout.trim()
}

afterEach(async () => {
  expect(await leftovers()).toBe('')
})

// example/web-hardened runs as uid 65532 and has no dpkg applet.
const sanity = command(
  [
    { name: 'echo', command: ['echo', 'hello'], expect: { stdout: 'hello' } },
    { name: 'uid', command: ['id', '-u'], expect: { stdout: '0' } },
    { name: 'dpkg', command: ['dpkg', '--help'] },
    { name: 'false', command: ['false'] },
  ],
  { container },
)

describe('runSuite with a command suite (real engine)', () => {
  test('each command is a case judged on exit code and stdout; the log keeps every output', async () => {
    const run = await runSuite(fixtures.webUpstream, sanity)
    expect(run.cases.map((c) => [c.name, c.outcome])).toEqual([
      ['echo', 'pass'],
      ['uid', 'pass'],
      ['dpkg', 'pass'],
      ['false', 'fail'],
    ])
    expect(run.cases[3]?.output).toBe('exit code 1, expected 0')
    expect(run.timedOut).toBe(false)
    expect(run.log).toContain('--- uid: ["id","-u"]\nexit 0\nstdout:\n0\n')
  })

  test('a command passing upstream and failing on rebuilt is suite.regressed; failing on both is allowed', async () => {
    const [upstream, rebuilt] = await Promise.all([
      runSuite(fixtures.webUpstream, sanity),
      runSuite(fixtures.webHardened, sanity),
    ])
    const findings = compareOutcomes(upstream.cases, rebuilt.cases)
    expect(findings.map((f) => [f.check, f.key, f.allowed])).toEqual([
      ['suite.regressed', 'uid', false],
      ['suite.regressed', 'dpkg', false],
      ['suite.failing-both', 'false', true],
    ])
    expect(findings[0]?.message).toBe(
      'case uid passes upstream, fails on rebuilt: stdout "65532\\n", expected "0"',
    )
    expect(findings[1]?.message).toMatch(
      /^case dpkg passes upstream, fails on rebuilt: exit code 127, expected 0/,
    )
  })

  test('an identical pair has no regressions: only the allowed failing-both case', async () => {
    const [a, b] = await Promise.all([
      runSuite(fixtures.webUpstream, sanity),
      runSuite(fixtures.webUpstream, sanity),
    ])
    expect(compareOutcomes(a.cases, b.cases).map((f) => [f.check, f.key, f.allowed])).toEqual([
      ['suite.failing-both', 'false', true],
    ])
  })

  test('a hanging command is stopped at the suite timeout, later cases are not run, nothing is left running', async () => {
    const hanging = command(
      [
        { name: 'quick', command: ['true'] },
        { name: 'hang', command: ['sleep', '3600'] },
        { name: 'after', command: ['true'] },
      ],
      { container, timeoutMs: 3000 },
    )
    const run = await runSuite(fixtures.webUpstream, hanging)
    expect(run.timedOut).toBe(true)
    expect(run.cases).toEqual([
      { name: 'quick', outcome: 'pass' },
      {
        name: 'hang',
        outcome: 'error',
        output: "stopped: still running when the suite's timeout of 3000 ms ran out",
      },
      { name: 'after', outcome: 'error', output: 'not run: the suite timed out after 3000 ms' },
    ])
    expect(await leftovers()).toBe('')
  })

  test('cases run in parallel keep their order in the results and the log', async () => {
    const run = await runSuite(fixtures.webUpstream, { ...sanity, parallel: 3 })
    expect(run.cases.map((c) => [c.name, c.outcome])).toEqual([
      ['echo', 'pass'],
      ['uid', 'pass'],
      ['dpkg', 'pass'],
      ['false', 'fail'],
    ])
    expect(run.log.match(/^--- (\w+)/gm)).toEqual(['--- echo', '--- uid', '--- dpkg', '--- false'])
  })

  test("the suite's container settings apply to every case: env, user and workdir", async () => {
    const run = await runSuite(
      fixtures.webUpstream,
      command(
        [
          {
            name: 'where',
            command: ['sh', '-c', 'echo "$(pwd) $(id -u) $GREETING"'],
            expect: { stdout: '/srv/www 1234 hi' },
          },
        ],
        {
          container: { ...container, workdir: '/srv/www', user: '1234', env: { GREETING: 'hi' } },
        },
      ),
    )
    expect(run.cases).toEqual([{ name: 'where', outcome: 'pass' }])
  })

  test('an unknown suite kind is a usage error', async () => {
    await expect(runSuite(fixtures.webUpstream, { kind: 'nope' } as never)).rejects.toThrow(
      /unknown kind "nope"/,
    )
  })
})
