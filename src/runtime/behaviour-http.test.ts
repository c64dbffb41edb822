import { execa } from 'execa'
import { afterEach, describe, expect, test } from 'vitest'
import { behaviourFixtures as behave } from '../../fixtures/images.ts'
import { serveInBoth } from './behaviour-http.ts'
import { SESSION_LABEL, sessionId } from './session-label.ts'

// Real engine; run `node fixtures/build.ts` first.
const base = { ready: { port: 8080 }, container: { labels: { 'dev.imgtest': '1' } } } as const
const pairOf = (upstream: string, rebuilt: string) => ({ upstream, rebuilt })

// JSON, text with the hostname and date, a POST with a body and headers, a static file, a 404.
const requests = [
  { path: '/cgi-bin/info' },
  { path: '/cgi-bin/hello' },
  { method: 'POST', path: '/cgi-bin/echo?q=1', headers: { accept: 'text/x-test' }, body: { a: 1 } },
  { path: '/' },
  { path: '/missing' },
]

afterEach(async () => {
  const { stdout } = await execa('docker', ['ps', '-aq', '--filter', `label=${SESSION_LABEL}=${sessionId}`])
  expect(stdout.trim()).toBe('')
})

describe('serveInBoth (real engine)', () => {
  test('an identical pair answers the same once hostnames, dates and ids are normalised', async () => {
    const { exchanges, findings } = await serveInBoth(pairOf(behave.ref, behave.ref), requests, base)
    expect(exchanges.map((e) => ('status' in e.upstream ? e.upstream.status : e.upstream.error))).toEqual([
      200, 200, 200, 200, 404,
    ])
    const hello = exchanges[1] as { upstream: { body: string }; rebuilt: { body: string } }
    expect(hello.upstream.body).not.toBe(hello.rebuilt.body)
    const echo = exchanges[2]?.upstream as { body: string }
    expect(echo.body).toBe('method POST\naccept text/x-test\nquery q=1\nbody {"a":1}\n')
    expect(findings).toEqual([])
  })

  test('a changed JSON field is a runtime.http.body finding naming the path', async () => {
    const { findings } = await serveInBoth(pairOf(behave.ref, behave.httpChanged), requests, base)
    expect(findings).toEqual([
      expect.objectContaining({
        check: 'runtime.http.body',
        key: 'GET /cgi-bin/info',
        message: 'JSON body of GET /cgi-bin/info differs at $.api: 1 upstream, 2 in rebuilt',
      }),
    ])
  })

  test('a header compared on request: runtime.http.header', async () => {
    const echo = [{ method: 'POST', path: '/cgi-bin/echo', body: 'x' }]
    const { findings } = await serveInBoth(pairOf(behave.ref, behave.outputChanged), echo, {
      ...base,
      headers: ['content-type', 'x-behave'],
    })
    expect(findings).toEqual([
      expect.objectContaining({
        check: 'runtime.http.header',
        key: 'POST /cgi-bin/echo x-behave',
        upstream: '1.0.0',
        rebuilt: '1.0.1',
      }),
    ])
  })

  test('a path one image serves and the other does not: runtime.http.status', async () => {
    // behave-app has /cgi-bin/value (502 without its db); behave-ref has no such script (404).
    const { findings } = await serveInBoth(pairOf(behave.ref, behave.app), [{ path: '/cgi-bin/value' }], base)
    expect(findings).toEqual([
      expect.objectContaining({ check: 'runtime.http.status', upstream: 404, rebuilt: 502 }),
    ])
  })

  test('no port anywhere is a usage error', async () => {
    await expect(
      serveInBoth(pairOf(behave.ref, behave.ref), requests, { ready: { log: /listening/ } }),
    ).rejects.toThrow(/serveInBoth\(\) needs the container port/)
  })
})
