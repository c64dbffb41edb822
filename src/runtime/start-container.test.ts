import { execa } from 'execa'
import { afterAll, describe, expect, test } from 'vitest'
import { fixtures, runtimeFixtures } from '../../fixtures/images.ts'
import { isImgtestError } from '../errors.ts'
import { removeTracked } from './cleanup.ts'
import type { ContainerOptions, RunningContainer } from './container-types.ts'
import { createNetwork } from './create-network.ts'
import { OWNER_LABEL } from './owner-label.ts'
import { SESSION_LABEL, sessionId } from './session-label.ts'
import { startContainer } from './start-container.ts'

// Real containers of the run-* fixtures, probed from the host. Every container carries dev.imgtest=1.
const test1 = { 'dev.imgtest': '1' }
const start = (image: string, options: ContainerOptions = {}) =>
  startContainer(image, { ...options, labels: { ...test1, ...options.labels } })

async function inspect(id: string): Promise<Record<string, any>> {
  const { stdout } = await execa('docker', ['inspect', id])
  return JSON.parse(stdout)[0]
}

async function exists(id: string): Promise<boolean> {
  const { stdout } = await execa('docker', ['ps', '-aq', '--no-trunc', '--filter', `id=${id}`])
  return stdout.trim() !== ''
}

/** The error a start rejects with (the test fails if it resolves). */
async function failure(starting: Promise<RunningContainer>): Promise<Error & { code?: string }> {
  const result = await starting.then(
    async (c) => {
      await c.stop({ timeoutMs: 0 })
      return undefined
    },
    (error: Error) => error,
  )
  if (result === undefined) throw new Error('expected the start to fail, but the container got ready')
  return result
}

/** The id of the last container of this process that a failed start created (it must be gone). */
async function lastSessionContainers(): Promise<string[]> {
  const { stdout } = await execa('docker', ['ps', '-aq', '--filter', `label=${SESSION_LABEL}=${sessionId}`])
  return stdout.split('\n').filter(Boolean)
}

afterAll(() => removeTracked())

describe('readiness probes from the host', () => {
  test('TCP: busybox httpd gets ready; ports are published on 127.0.0.1 only', async () => {
    await using web = await start(runtimeFixtures.nonRoot, { ready: { port: 8080 }, ports: [9999] })
    expect(web.readyAfterMs).toBeGreaterThan(0)
    expect(web.host).toBe('127.0.0.1')
    expect(await (await fetch(web.url(8080))).text()).toBe('non-root server\n')
    const info = await inspect(web.id)
    const bindings = Object.values(info.HostConfig.PortBindings).flat() as { HostIp: string }[]
    const published = Object.values(info.NetworkSettings.Ports).flat() as {
      HostIp: string
      HostPort: string
    }[]
    expect(bindings.map((b) => b.HostIp)).toEqual(['127.0.0.1', '127.0.0.1'])
    expect(published.map((b) => b.HostIp)).toEqual(['127.0.0.1', '127.0.0.1'])
    expect(published.map((b) => Number(b.HostPort)).sort()).toEqual(
      [web.mappedPort(8080), web.mappedPort(9999)].sort(),
    )
    expect(() => web.mappedPort(1234)).toThrow(/container port 1234 .* is not published/)
  })

  test('the shell-less image (FROM scratch, no sh) gets ready by TCP, and exec of sh indeed fails on it', async () => {
    await using web = await start(runtimeFixtures.shellLess, { ready: { port: 8080 } })
    expect(await (await fetch(web.url(8080))).text()).toBe('shell-less server\n')
    const exec = await execa('docker', ['exec', web.id, 'sh', '-c', 'true'], { reject: false })
    expect(exec.exitCode).toBe(126)
    // The docker CLI prints the runtime's refusal on stdout or stderr depending on its version.
    expect(`${exec.stdout}${exec.stderr}`).toMatch(/"sh": executable file not found/)
    console.log(`shell-less image ready after ${web.readyAfterMs.toFixed(0)} ms (create call to TCP ready)`)
  })

  test('HTTP: status and body match (string or RegExp); a body that never matches fails naming it', async () => {
    await using web = await start(fixtures.webUpstream, {
      ready: { port: 8080, http: { path: '/index.html', status: 200, body: /<h1>example web<\/h1>/ } },
    })
    expect((await fetch(web.url(8080))).status).toBe(200)
    const error = await failure(
      start(fixtures.webUpstream, { ready: { port: 8080, http: { body: 'another page' }, timeoutMs: 1000 } }),
    )
    expect(error.message).toMatch(/answered 200 with a body not matching another page: "<!doctype html>/)
  })

  test('HTTP: a status that never comes fails with the last answer', async () => {
    const error = await failure(
      start(runtimeFixtures.nonRoot, {
        ready: { port: 8080, http: { path: '/missing', status: 200 }, timeoutMs: 1500 },
      }),
    )
    expect(error.code).toBe('IMGTEST_NOT_READY')
    expect(error.message).toMatch(
      /not ready after 1500 ms: GET http:\/\/127\.0\.0\.1:\d+\/missing answered 404/,
    )
  })

  test('log line: ready once the line was printed `times` times', async () => {
    await using c = await start(fixtures.busyboxBase, {
      cmd: [
        'sh',
        '-c',
        'echo booting; sleep 0.2; echo listening; echo noise >&2; sleep 0.2; echo listening; exec sleep 60',
      ],
      ready: { log: /^listening$/, times: 2 },
    })
    expect((await c.logs()).match(/listening/g)).toHaveLength(2)
    // The second line comes 0.4 s after start: ready cannot be earlier.
    expect(c.readyAfterMs).toBeGreaterThan(400)
  })

  test("HEALTHCHECK: ready when the engine reports healthy; unhealthy fails at once with the check's output", async () => {
    await using web = await start(runtimeFixtures.healthcheck, { ready: { healthcheck: true } })
    expect((await web.state()).health).toBe('healthy')
    const error = await failure(
      start(runtimeFixtures.healthcheck, {
        cmd: ['sleep', '60'],
        ready: { healthcheck: true, timeoutMs: 30_000 },
      }),
    )
    expect(error.code).toBe('IMGTEST_NOT_READY')
    // The measured fact is the unhealthy state, not the 30 s timeout.
    expect(error.message).toMatch(/HEALTHCHECK reports unhealthy; last check exited 1/)
    expect(error.message).not.toMatch(/not ready after/)
  })

  test('HEALTHCHECK on an image without one: fails at once saying so', async () => {
    const error = await failure(start(runtimeFixtures.nonRoot, { ready: { healthcheck: true } }))
    expect(error.message).toMatch(/the image has no HEALTHCHECK/)
  })

  test('exit code: a one-shot container is done when it exits with the wanted code', async () => {
    await using done = await start(runtimeFixtures.exitsEarly, { ready: { exit: 3 } })
    expect(await done.state()).toEqual({ running: false, exitCode: 3, oomKilled: false })
    await using any = await start(runtimeFixtures.exitsEarly, { ready: { exit: 'any' } })
    expect((await any.state()).exitCode).toBe(3)
    const error = await failure(start(runtimeFixtures.exitsEarly, { ready: { exit: 0 } }))
    expect(error.message).toMatch(/exited with code 3, wanted 0/)
    expect(error.message).toMatch(/fatal: \/etc\/app\.conf missing/)
  })
})

describe('containers that never get ready', () => {
  test('one that never listens fails with IMGTEST_NOT_READY after its timeout, with logs and state, and is removed', async () => {
    const error = await failure(
      start(runtimeFixtures.neverListens, { ready: { port: 8080, timeoutMs: 2000 } }),
    )
    expect(isImgtestError(error)).toBe(true)
    expect(error.code).toBe('IMGTEST_NOT_READY')
    expect(error.message).toMatch(
      /^container of imgtest-fixture\/run-never-listens:1 not ready after 2000 ms: no listener on container port 8080 \(127\.0\.0\.1:\d+: [^)]+\)/,
    )
    expect(error.message).toMatch(/state: running;/)
    expect(error.message).toMatch(/\| starting, but never listening/)
    expect(await lastSessionContainers()).toEqual([])
  })

  test('one that exits at start fails with its exit code and last log lines, and is removed', async () => {
    const error = await failure(start(runtimeFixtures.exitsEarly, { ready: { port: 8080 } }))
    expect(error.code).toBe('IMGTEST_NOT_READY')
    expect(error.message).toMatch(/exited with code 3/)
    expect(error.message).toMatch(/state: exited with code 3/)
    expect(error.message).toMatch(/\| fatal: \/etc\/app\.conf missing/)
    expect(await lastSessionContainers()).toEqual([])
  })

  test('an entrypoint that does not exist: the engine error, container removed', async () => {
    const error = await failure(
      start(runtimeFixtures.shellLess, { entrypoint: ['/bin/sh'], ready: { port: 8080 } }),
    )
    expect(error.code).toBe('IMGTEST_NOT_READY')
    expect(error.message).toMatch(/\/bin\/sh/)
    expect(await lastSessionContainers()).toEqual([])
  })

  test('an image that is not local: IMGTEST_IMAGE_NOT_FOUND, nothing pulled', async () => {
    const error = await failure(start('imgtest-fixture/not-built-anywhere:1'))
    expect(error.code).toBe('IMGTEST_IMAGE_NOT_FOUND')
    expect(error.message).toMatch(/not in the local engine and imgtest never pulls/)
  })
})

describe('run options', () => {
  test('user, env, cmd, read-only root with tmpfs, capabilities, no-new-privileges, memory and labels reach the engine', async () => {
    await using c = await start(fixtures.busyboxBase, {
      cmd: [
        'sh',
        '-c',
        'echo "$GREETING $(id -u) $(touch /tmp/ok && echo tmp-ok) $(touch /x 2>&1 || echo root-ro)"; exec sleep 60',
      ],
      env: { GREETING: 'hi' },
      user: '65532',
      readOnlyRootfs: true,
      writable: ['/tmp'],
      capDrop: ['ALL'],
      capAdd: ['NET_BIND_SERVICE'],
      noNewPrivileges: true,
      memory: 64 * 1024 * 1024,
      labels: { team: 'web' },
      ready: { log: /^hi / },
    })
    expect(await c.logs()).toMatch(/^hi 65532 tmp-ok touch: \/x: Read-only file system\nroot-ro\n/)
    const info = await inspect(c.id)
    expect(info.HostConfig).toMatchObject({
      ReadonlyRootfs: true,
      Tmpfs: { '/tmp': 'rw' },
      CapDrop: ['ALL'],
      CapAdd: ['NET_BIND_SERVICE'],
      SecurityOpt: ['no-new-privileges'],
      Memory: 64 * 1024 * 1024,
    })
    expect(info.Config.Labels).toMatchObject({
      [OWNER_LABEL]: 'imgtest',
      [SESSION_LABEL]: sessionId,
      team: 'web',
    })
    const sample = await c.stats()
    expect(sample.memoryBytes).toBeGreaterThan(0)
    expect(sample.memoryBytes).toBeLessThan(64 * 1024 * 1024)
  })

  test('a user-defined network: containers reach each other by alias; the network is labelled', async () => {
    await using net = await createNetwork()
    await using db = await start(runtimeFixtures.nonRoot, {
      network: net.name,
      networkAliases: ['db'],
      ready: { port: 8080 },
    })
    await using client = await start(fixtures.busyboxBase, {
      network: net.name,
      cmd: ['wget', '-q', '-O', '-', 'http://db:8080/'],
      ready: { exit: 0, timeoutMs: 10_000 },
    })
    expect(await client.logs()).toBe('non-root server\n')
    // Only on the user-defined network, not also on the default bridge.
    expect(Object.keys((await inspect(db.id)).NetworkSettings.Networks)).toEqual([net.name])
    const { stdout } = await execa('docker', ['network', 'inspect', net.id, '--format', '{{json .Labels}}'])
    expect(JSON.parse(stdout)).toEqual({ [OWNER_LABEL]: 'imgtest', [SESSION_LABEL]: sessionId })
  })

  test('stop: the stop signal ends a container that handles it (graceful); one that ignores it is killed at the deadline', async () => {
    const polite = await start(fixtures.busyboxBase, {
      cmd: ['sh', '-c', 'trap "exit 0" TERM; echo up; while true; do sleep 0.05; done'],
      ready: { log: 'up' },
    })
    const graceful = await polite.stop()
    expect(graceful).toMatchObject({ graceful: true, exitCode: 0 })
    expect(await exists(polite.id)).toBe(false)
    // busybox httpd as PID 1 has no SIGTERM handler, so the kernel ignores the signal.
    const stubborn = await start(runtimeFixtures.nonRoot, { ready: { port: 8080 } })
    const killed = await stubborn.stop({ timeoutMs: 300 })
    expect(killed).toMatchObject({ graceful: false, exitCode: 137 })
    expect(killed.ms).toBeGreaterThanOrEqual(300)
    expect(await exists(stubborn.id)).toBe(false)
    // A second stop returns the first result.
    expect(await stubborn.stop()).toBe(killed)
  })
})
