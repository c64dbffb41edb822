import { execa } from 'execa'
import { afterEach, describe, expect, test } from 'vitest'
import { behaviourFixtures as behave, fixtures } from '../../fixtures/images.ts'
import { runCommand, runInBoth } from './behaviour-command.ts'
import { SESSION_LABEL, sessionId } from './session-label.ts'

// Real engine; run `node fixtures/build.ts` first. Every container carries dev.imgtest=1.
const container = { labels: { 'dev.imgtest': '1' } }
const pairOf = (upstream: string, rebuilt: string) => ({ upstream, rebuilt })

async function leftovers(): Promise<string> {
  const { stdout } = await execa('docker', ['ps', '-aq', '--filter', `label=${SESSION_LABEL}=${sessionId}`])
  return stdout.trim()
}

afterEach(async () => {
  expect(await leftovers()).toBe('')
})

describe('runCommand (real engine)', () => {
  test('stdout, stderr and the exit code apart, with the container hostname', async () => {
    const run = await runCommand(behave.exitChanged, ['info'], { container })
    expect(run.exitCode).toBe(3)
    expect(run.stdout).toMatch(/^behave 1\.0\.0\nstarted \d{4}-/)
    expect(run.stdout).toContain(`host ${run.hostname}\n`)
    expect(run.stderr).toMatch(/^behave 1\.0\.0: cache warmed in 0\.0\d\ds at /)
    expect(run.containerId?.startsWith(run.hostname ?? '-')).toBe(true)
  })

  test('a program missing from the image is exit 127 with the reason on stderr, as docker run says', async () => {
    const run = await runCommand(behave.ref, ['/no/such/program'], {
      container: { ...container, entrypoint: [] },
    })
    expect(run).toMatchObject({ exitCode: 127, stdout: '' })
    expect(run.stderr).toMatch(/exec: "\/no\/such\/program": .*no such file or directory/)
  })

  test('a command that is not a list of strings is a usage error', async () => {
    await expect(runCommand(behave.ref, 'info' as never)).rejects.toThrow(/a command is an array of strings/)
  })
})

describe('runInBoth (real engine)', () => {
  test('an identical pair passes though dates, hostnames, UUIDs, epochs and temp paths differ', async () => {
    const result = await runInBoth(pairOf(behave.ref, behave.ref), ['info'], { container })
    // The raw outputs differ (two containers, two hostnames): only the normalizers make them equal.
    expect(result.upstream.stdout).not.toBe(result.rebuilt.stdout)
    expect(result.upstream.hostname).not.toBe(result.rebuilt.hostname)
    expect(result.findings).toEqual([])
  })

  test('a changed version line: stdout and stderr findings with a diff', async () => {
    const { findings } = await runInBoth(pairOf(behave.ref, behave.outputChanged), ['info'], { container })
    expect(findings.map((f) => f.check)).toEqual(['runtime.command.stdout', 'runtime.command.stderr'])
    expect(findings[0]?.key).toBe('info')
    expect(findings[0]?.message).toContain('-behave 1.0.0\n+behave 1.0.1')
    expect(findings[1]?.message).toContain('+behave 1.0.1: cache warmed in <duration> at <timestamp>')
  })

  test('a changed exit code alone: one runtime.command.exit finding', async () => {
    const { findings } = await runInBoth(pairOf(behave.ref, behave.exitChanged), ['info'], { container })
    expect(findings).toEqual([
      expect.objectContaining({ check: 'runtime.command.exit', key: 'info', upstream: 0, rebuilt: 3 }),
    ])
  })

  test('a program the rebuilt image lacks is an exit and stderr difference, not an error', async () => {
    // content-no-shell has no /bin/sh; behave-ref has one.
    const { findings } = await runInBoth(
      pairOf(behave.ref, fixtures.contentNoShell),
      ['/bin/sh', '-c', 'echo ok'],
      {
        container: { ...container, entrypoint: [] },
      },
    )
    expect(findings.map((f) => [f.check, f.upstream, f.rebuilt])).toEqual([
      ['runtime.command.exit', 0, 127],
      ['runtime.command.stdout', 'ok\n', ''],
      ['runtime.command.stderr', '', expect.stringContaining('exec: "/bin/sh"')],
    ])
  })
})
