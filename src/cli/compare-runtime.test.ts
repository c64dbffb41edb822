import { execa } from 'execa'
import { describe, expect, test } from 'vitest'
import { behaviourFixtures as behave } from '../../fixtures/images.ts'
import { SESSION_LABEL, sessionId } from '../runtime/session-label.ts'
import { compareRuntime } from './compare-runtime.ts'
import { runtimeOptionsFromCli } from './runtime-options.ts'

describe('runtimeOptionsFromCli', () => {
  test('nothing without --runtime; a runtime option alone is a usage error', () => {
    expect(runtimeOptionsFromCli({})).toBeUndefined()
    expect(() => runtimeOptionsFromCli({ 'ready-port': '8080' })).toThrow(
      '--ready-port only applies with --runtime',
    )
  })

  test('an HTTP ready probe, its path compared, extra paths, a JSON command, stop deadline and runs', () => {
    expect(
      runtimeOptionsFromCli({
        runtime: true,
        'ready-port': '8080',
        'ready-http': 'healthz',
        'ready-timeout': '5000',
        'http-path': ['/api'],
        command: '["app", "--config", "a b"]',
        'startup-runs': '3',
        'stop-deadline': '2000',
      }),
    ).toEqual({
      ready: { port: 8080, http: { path: '/healthz' }, timeoutMs: 5000 },
      http: [{ path: '/healthz' }, { path: '/api' }],
      command: ['app', '--config', 'a b'],
      startup: { runs: 3 },
      stop: { deadlineMs: 2000 },
    })
  })

  test('log and healthcheck probes; words for a command; startup and stop left out', () => {
    expect(
      runtimeOptionsFromCli({
        runtime: true,
        'ready-log': 'listening on \\d+',
        command: ' app  --version ',
        'no-startup': true,
        'no-stop': true,
      }),
    ).toEqual({
      ready: { log: /listening on \d+/ },
      command: ['app', '--version'],
      startup: false,
      stop: false,
    })
    expect(runtimeOptionsFromCli({ runtime: true, 'ready-healthcheck': true })).toEqual({
      ready: { healthcheck: true },
      startup: {},
      stop: {},
    })
  })

  test.each([
    [{}, /needs a readiness option: --ready-port/],
    [{ 'ready-port': '80', 'ready-log': 'x' }, /one readiness option, not --ready-port and --ready-log/],
    [{ 'ready-http': '/' }, /--ready-http <path> needs --ready-port/],
    [{ 'ready-port': '80000' }, /--ready-port must be a port number 1-65535, not '80000'/],
    [{ 'ready-port': 'http' }, /--ready-port must be a non-negative number, not 'http'/],
    [{ 'ready-log': '(' }, /--ready-log is not a valid regular expression: \(/],
    [{ 'ready-port': '80', command: '[1]' }, /--command as JSON must be an array of strings/],
    [{ 'ready-port': '80', 'stop-deadline': '-1' }, /--stop-deadline must be a non-negative number/],
  ])('bad input %o is one usage line', (values, message) => {
    expect(() => runtimeOptionsFromCli({ runtime: true, ...values })).toThrow(message)
  })
})

describe('compareRuntime (real engine)', () => {
  const container = { labels: { 'dev.imgtest': '1' } }
  const ready = { port: 8080, http: { path: '/cgi-bin/info' } }

  test('an identical pair: startup, HTTP on the ready path, a command and the stop all agree', async () => {
    const findings = await compareRuntime(behave.ref, behave.ref, {
      ready,
      command: ['info'],
      startup: { runs: 3 },
      stop: { deadlineMs: 2000 },
      container,
    })
    expect(findings).toEqual([])
  })

  test('the rebuilt JSON field and a PID 1 ignoring SIGTERM are both caught', async () => {
    // behave-ignores-sigterm serves behave-ref's JSON; -http-changed stops well: two pairs, one finding each.
    const http = await compareRuntime(behave.ref, behave.httpChanged, { ready, startup: false, container })
    expect(http.map((f) => f.check)).toEqual(['runtime.http.body'])
    const stop = await compareRuntime(behave.ref, behave.ignoresSigterm, {
      ready,
      startup: false,
      stop: { deadlineMs: 1000 },
      container,
    })
    expect(stop.map((f) => f.check)).toEqual(['runtime.stop'])
    const { stdout } = await execa('docker', ['ps', '-aq', '--filter', `label=${SESSION_LABEL}=${sessionId}`])
    expect(stdout.trim()).toBe('')
  })
})
