import { createServer, type Server, type Socket } from 'node:net'
import { afterEach, describe, expect, test } from 'vitest'
import { describeSpec, tcpAttempt } from './ready-probes.ts'

describe('describeSpec', () => {
  test('names what counts as ready, for messages', () => {
    expect(describeSpec({ port: 8080 })).toBe('wanted a TCP listener on port 8080')
    expect(describeSpec({ port: 80, http: { path: '/health', status: 204 } })).toBe(
      'wanted HTTP 204 from GET :80/health',
    )
    expect(describeSpec({ port: 80, http: { body: /ok/ } })).toBe(
      'wanted HTTP 200-399 from GET :80/ with body matching /ok/',
    )
    expect(describeSpec({ log: 'listening', times: 2 })).toBe('wanted 2 log line(s) matching listening')
    expect(describeSpec({ healthcheck: true })).toBe('wanted the image HEALTHCHECK to report healthy')
    expect(describeSpec({ exit: 0 })).toBe('wanted exit code 0')
    expect(describeSpec({ exit: 'any' })).toBe('wanted it to exit')
  })
})

// What the engine's port proxy does in front of a container: accept, then close when nothing
// listens behind it. A real listener keeps the connection open (or greets).
describe('tcpAttempt', () => {
  let server: Server | undefined
  afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())))

  const listen = (onConnection: (socket: Socket) => void) =>
    new Promise<number>((resolve) => {
      server = createServer(onConnection).listen(0, '127.0.0.1', () => {
        const address = server?.address()
        resolve(typeof address === 'object' && address ? address.port : 0)
      })
    })

  test('a listener that keeps the connection open is ready, timed at connect', async () => {
    const port = await listen(() => {})
    const before = performance.now()
    const outcome = await tcpAttempt('127.0.0.1', port)
    expect(typeof outcome).toBe('number')
    expect(outcome as number).toBeGreaterThanOrEqual(before)
    // Timed at connect, not after the confirmation window.
    expect(outcome as number).toBeLessThan(performance.now() - 50)
  })

  test('a listener that greets is ready', async () => {
    const port = await listen((socket) => socket.write('220 hello\r\n'))
    expect(typeof (await tcpAttempt('127.0.0.1', port))).toBe('number')
  })

  test('accept-then-close (a port proxy with nothing behind it) is not ready', async () => {
    const port = await listen((socket) => socket.destroy())
    expect(await tcpAttempt('127.0.0.1', port)).toBe('closed at once by the port proxy')
  })

  test('nothing listening: the connect error', async () => {
    const port = await listen(() => {})
    await new Promise<void>((resolve) => server?.close(() => resolve()))
    server = undefined
    expect(await tcpAttempt('127.0.0.1', port)).toBe('ECONNREFUSED')
  })
})
