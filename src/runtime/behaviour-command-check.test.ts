import { describe, expect, test } from 'vitest'
import { type CommandResult, compareCommandResults } from './behaviour-command-check.ts'

// Two runs of behave-ref's `behave info`, as the engine returned them, in containers f2f13aeb0d71 and 1f0e3b2a4c55.
const run = (host: string, stamp: string, extra: Partial<CommandResult> = {}): CommandResult => ({
  image: 'imgtest-fixture/behave-ref:1',
  exitCode: 0,
  stdout: [
    'behave 1.0.0',
    `started 2026-12-04T17:${stamp}Z`,
    `date Fri Dec  4 17:${stamp} UTC 2026`,
    `host ${host}`,
    `request ${host === 'f2f13aeb0d71' ? '8e14830f-3796-445a-930d-2c499d5bb87b' : '50844f27-c1aa-4687-b4f2-dac43b1a3e88'}`,
    `epoch 17964041${stamp.slice(-2)}`,
    `scratch /tmp/tmp.${host.slice(0, 6)}`,
    '',
  ].join('\n'),
  stderr: `behave 1.0.0: cache warmed in 0.0${stamp.slice(-2)}s at Fri, 04 Dec 2026 17:${stamp} +0000\n`,
  hostname: host,
  containerId: `${host}${'0'.repeat(52)}`,
  ...extra,
})

const upstream = run('f2f13aeb0d71', '08:54')
const again = run('1f0e3b2a4c55', '09:31')

describe('compareCommandResults', () => {
  test('two runs of the same image give no finding, though every volatile field differs', () => {
    expect(again.stdout).not.toBe(upstream.stdout)
    expect(again.stderr).not.toBe(upstream.stderr)
    expect(compareCommandResults(['info'], upstream, again)).toEqual([])
  })

  test('a changed version line is a stdout finding with a unified diff', () => {
    const rebuilt = run('1f0e3b2a4c55', '09:31', {
      stdout: again.stdout.replace('behave 1.0.0', 'behave 1.0.1'),
    })
    const findings = compareCommandResults(['info'], upstream, rebuilt)
    expect(findings).toHaveLength(1)
    expect(findings[0]).toMatchObject({ check: 'runtime.command.stdout', key: 'info', allowed: false })
    expect(findings[0]?.message).toBe(
      [
        'stdout of `info` differs after normalisation:',
        '--- upstream',
        '+++ rebuilt',
        '@@ -1,2 +1,2 @@',
        '-behave 1.0.0',
        '+behave 1.0.1',
        ' started <timestamp>',
      ].join('\n'),
    )
    expect(findings[0]?.rebuilt).toContain('host <hostname>')
  })

  test('exit code and stderr are findings of their own', () => {
    const rebuilt = run('1f0e3b2a4c55', '09:31', { exitCode: 3, stderr: 'error: no config\n' })
    const findings = compareCommandResults(['app', '--config', 'a b'], upstream, rebuilt)
    expect(findings.map((f) => f.check)).toEqual(['runtime.command.exit', 'runtime.command.stderr'])
    expect(findings[0]).toMatchObject({
      key: 'app --config "a b"',
      upstream: 0,
      rebuilt: 3,
      message: '`app --config "a b"` exits 0 upstream, 3 in rebuilt',
    })
    expect(findings[1]?.message).toContain('+error: no config')
  })

  test('parts can be left out, and normalize: false compares raw text', () => {
    const rebuilt = run('1f0e3b2a4c55', '09:31', { exitCode: 3 })
    expect(compareCommandResults(['info'], upstream, rebuilt, { exitCode: false })).toEqual([])
    const raw = compareCommandResults(['info'], upstream, again, { normalize: false, stderr: false })
    expect(raw.map((f) => f.check)).toEqual(['runtime.command.stdout'])
    expect(raw[0]?.message).toMatch(/^stdout of `info` differs:\n/)
  })

  test('user patterns normalise what the built-ins do not know', () => {
    const a = run('f2f13aeb0d71', '08:54', { stdout: 'pid 12 ok\n' })
    const b = run('1f0e3b2a4c55', '09:31', { stdout: 'pid 977 ok\n' })
    expect(compareCommandResults(['x'], a, b, { stderr: false })).toHaveLength(1)
    expect(compareCommandResults(['x'], a, b, { stderr: false, normalize: { extra: [/pid \d+/] } })).toEqual(
      [],
    )
  })
})
