import { request } from 'node:http'
import { connect } from 'node:net'
import type Docker from 'dockerode'
import { followLogLines } from './container-logs.ts'
import type { ReadySpec } from './container-types.ts'

/** What a probe needs of a started container; everything is reached from the host. */
export interface ProbeContext {
  docker: Docker
  container: Docker.Container
  /** Always 127.0.0.1. */
  host: string
  /** The host port a container port is published on. */
  mappedPort(port: number): number
  /** Settles with the exit code when the container stops. */
  exit: Promise<number>
  signal: AbortSignal
}

/** A readiness failure: `fact` is the measured fact, for the message of IMGTEST_NOT_READY. */
export class NotReady extends Error {
  readonly fact: string
  constructor(fact: string) {
    super(fact)
    this.name = 'NotReady'
    this.fact = fact
  }
}

/** Default give-up time of a ready spec. */
export const DEFAULT_READY_TIMEOUT_MS = 60_000

// Polls start fast and stay fast: the poll interval bounds how late a measured ready time can be.
const FIRST_POLL_MS = 5
const MAX_POLL_MS = 25
// Docker's port proxy accepts every connect and closes it at once when nothing listens behind it;
// a connection still open after this long (or one that got bytes) has a real listener.
const CONFIRM_MS = 100

/**
 * Waits until the container is ready by `spec`, probing from the host only (never exec: hardened
 * images have no shell). Resolves with the `performance.now()` at which it was ready; rejects with
 * `NotReady` when the container exits first, the probe fails for good, or `deadline` passes.
 *
 * @example
 * const readyAt = await waitUntilReady(context, { port: 8080 }, performance.now() + 30_000)
 */
export async function waitUntilReady(
  context: ProbeContext,
  spec: ReadySpec,
  deadline: number,
): Promise<number> {
  const status = { fact: 'no probe ran yet' }
  const probe = 'exit' in spec ? exitProbe(context, spec.exit) : runProbe(context, spec, status)
  const exited = context.exit.then((code) => ({ kind: 'exited' as const, code, at: performance.now() }))
  let timer: NodeJS.Timeout | undefined
  const timedOut = new Promise<{ kind: 'timeout' }>((resolve) => {
    timer = setTimeout(() => resolve({ kind: 'timeout' }), Math.max(0, deadline - performance.now()))
  })
  try {
    const outcome = await Promise.race([
      probe.then((at) => ({ kind: 'ready' as const, at })),
      ...('exit' in spec ? [] : [exited]),
      timedOut,
    ])
    if (outcome.kind === 'ready') return outcome.at
    if (outcome.kind === 'exited') {
      throw new NotReady(
        `exited with code ${outcome.code} before it was ready (${describeSpec(spec)}; ${status.fact})`,
      )
    }
    const waited = Math.round(spec.timeoutMs ?? DEFAULT_READY_TIMEOUT_MS)
    throw new NotReady(
      `not ready after ${waited} ms: ${'exit' in spec ? 'still running' : status.fact} (${describeSpec(spec)})`,
    )
  } finally {
    clearTimeout(timer)
    // The losing probe loop sees the abort and stops; its rejection is not ours to report.
    probe.catch(() => {})
  }
}

/** One line naming what counts as ready, for messages. */
export function describeSpec(spec: ReadySpec): string {
  if ('port' in spec) {
    if (spec.http === undefined) return `wanted a TCP listener on port ${spec.port}`
    const want = spec.http.status ?? '200-399'
    const body = spec.http.body === undefined ? '' : ` with body matching ${String(spec.http.body)}`
    return `wanted HTTP ${want} from GET :${spec.port}${spec.http.path ?? '/'}${body}`
  }
  if ('log' in spec) return `wanted ${spec.times ?? 1} log line(s) matching ${String(spec.log)}`
  if ('healthcheck' in spec) return 'wanted the image HEALTHCHECK to report healthy'
  return spec.exit === 'any' ? 'wanted it to exit' : `wanted exit code ${spec.exit}`
}

function runProbe(context: ProbeContext, spec: ReadySpec, status: { fact: string }): Promise<number> {
  if ('port' in spec)
    return spec.http ? httpProbe(context, spec.port, spec.http, status) : tcpProbe(context, spec.port, status)
  if ('log' in spec) return logProbe(context, spec.log, spec.times ?? 1, status)
  if ('healthcheck' in spec) return healthProbe(context, status)
  throw new Error('unreachable: exit specs are handled by exitProbe')
}

async function exitProbe(context: ProbeContext, want: number | 'any'): Promise<number> {
  const code = await context.exit
  const at = performance.now()
  if (want !== 'any' && code !== want) throw new NotReady(`exited with code ${code}, wanted ${want}`)
  return at
}

async function tcpProbe(context: ProbeContext, port: number, status: { fact: string }): Promise<number> {
  const hostPort = context.mappedPort(port)
  status.fact = `no listener on container port ${port} (${context.host}:${hostPort})`
  for (let wait = FIRST_POLL_MS; !context.signal.aborted; wait = Math.min(MAX_POLL_MS, wait * 1.5)) {
    const outcome = await tcpAttempt(context.host, hostPort)
    if (typeof outcome === 'number') return outcome
    status.fact = `no listener on container port ${port} (${context.host}:${hostPort}: ${outcome})`
    await sleep(wait, context.signal)
  }
  throw new NotReady(status.fact)
}

/** One connect: the connect time when a listener is really there, else why not. */
export function tcpAttempt(host: string, port: number): Promise<number | string> {
  return new Promise((resolve) => {
    const socket = connect({ host, port })
    let connectedAt: number | undefined
    const done = (result: number | string) => {
      clearTimeout(timer)
      socket.destroy()
      resolve(result)
    }
    let timer = setTimeout(() => done('connect timed out'), 2000)
    socket.on('connect', () => {
      connectedAt = performance.now()
      clearTimeout(timer)
      timer = setTimeout(() => done(connectedAt ?? 0), CONFIRM_MS)
    })
    // Bytes from the server (a greeting) prove a listener at once.
    socket.on('data', () => done(connectedAt ?? performance.now()))
    socket.on('end', () => done('closed at once by the port proxy'))
    socket.on('close', () => done('closed at once by the port proxy'))
    socket.on('error', (error: NodeJS.ErrnoException) => done(error.code ?? error.message))
  })
}

async function httpProbe(
  context: ProbeContext,
  port: number,
  http: NonNullable<Extract<ReadySpec, { port: number }>['http']>,
  status: { fact: string },
): Promise<number> {
  const url = `http://${context.host}:${context.mappedPort(port)}${http.path ?? '/'}`
  status.fact = `GET ${url} not answered yet`
  for (let wait = FIRST_POLL_MS; !context.signal.aborted; wait = Math.min(MAX_POLL_MS, wait * 1.5)) {
    const outcome = await httpAttempt(url)
    if (typeof outcome === 'string') {
      status.fact = `GET ${url} failed: ${outcome}`
    } else {
      const statusOk =
        http.status === undefined
          ? outcome.status >= 200 && outcome.status < 400
          : outcome.status === http.status
      const bodyOk =
        http.body === undefined ||
        (typeof http.body === 'string' ? outcome.body.includes(http.body) : http.body.test(outcome.body))
      if (statusOk && bodyOk) return outcome.at
      status.fact = statusOk
        ? `GET ${url} answered ${outcome.status} with a body not matching ${String(http.body)}: ${JSON.stringify(outcome.body.slice(0, 200))}`
        : `GET ${url} answered ${outcome.status}`
    }
    await sleep(wait, context.signal)
  }
  throw new NotReady(status.fact)
}

/** One GET without keep-alive: status, body (first MiB) and the time the response ended, or why it failed. */
export function httpAttempt(url: string): Promise<{ status: number; body: string; at: number } | string> {
  return new Promise((resolve) => {
    const req = request(url, { agent: false, timeout: 5000 }, (res) => {
      const chunks: Buffer[] = []
      let size = 0
      res.on('data', (chunk: Buffer) => {
        if (size < 1 << 20) chunks.push(chunk)
        size += chunk.length
      })
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          body: Buffer.concat(chunks).toString('utf8'),
          at: performance.now(),
        }),
      )
      res.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message))
    })
    req.on('timeout', () => req.destroy(new Error('no answer within 5000 ms')))
    req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message))
    req.end()
  })
}

async function logProbe(
  context: ProbeContext,
  pattern: string | RegExp,
  times: number,
  status: { fact: string },
): Promise<number> {
  let seen = 0
  let readyAt: number | undefined
  const stop = new AbortController()
  context.signal.addEventListener('abort', () => stop.abort(), { once: true })
  status.fact = `0 of ${times} log line(s) matching ${String(pattern)}`
  await followLogLines(
    context.docker,
    context.container,
    (line) => {
      if (readyAt !== undefined) return
      if (typeof pattern === 'string' ? line.includes(pattern) : pattern.test(line)) seen++
      status.fact = `${seen} of ${times} log line(s) matching ${String(pattern)}`
      if (seen >= times) {
        readyAt = performance.now()
        stop.abort()
      }
    },
    stop.signal,
  )
  if (readyAt !== undefined) return readyAt
  // The stream ended: the container stopped (the exit race reports it) or the probe was aborted.
  return new Promise(() => {})
}

async function healthProbe(context: ProbeContext, status: { fact: string }): Promise<number> {
  for (let wait = FIRST_POLL_MS * 4; !context.signal.aborted; wait = Math.min(MAX_POLL_MS * 2, wait * 1.5)) {
    const info = await context.container.inspect()
    const health = info.State.Health
    if (health === undefined) {
      throw new NotReady(
        'the image has no HEALTHCHECK (the engine reports no health); choose another ready probe',
      )
    }
    const last = health.Log?.at(-1)
    const output = last
      ? `; last check exited ${last.ExitCode}: ${JSON.stringify(last.Output.trim().slice(0, 200))}`
      : ''
    if (health.Status === 'healthy') return performance.now()
    if (health.Status === 'unhealthy') throw new NotReady(`HEALTHCHECK reports unhealthy${output}`)
    status.fact = `health is still ${health.Status}${output}`
    await sleep(wait, context.signal)
  }
  throw new NotReady(status.fact)
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const wake = () => {
      clearTimeout(timer)
      signal.removeEventListener('abort', wake)
      resolve()
    }
    const timer = setTimeout(wake, ms)
    signal.addEventListener('abort', wake, { once: true })
  })
}
