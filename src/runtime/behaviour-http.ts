import type { Finding } from '../compare/finding.ts'
import { ImgtestError } from '../errors.ts'
import {
  compareHttpResults,
  type HttpCompareOptions,
  type HttpOutcome,
  type HttpRequestSpec,
  type HttpSideResult,
} from './behaviour-http-check.ts'
import { type PairLike, refsOf } from './behaviour-pair.ts'
import type { ContainerOptions, ReadySpec, RunningContainer } from './container-types.ts'
import { runtimeEngine } from './engine.ts'
import { startContainer } from './start-container.ts'

export interface HttpParityOptions extends HttpCompareOptions {
  /** The container port to send requests to (default: the ready spec's port). */
  port?: number
  /** When a container is ready (default `{ port }`: a TCP listener). */
  ready?: ReadySpec
  /** How to run both containers (env, cmd, user, hardened flags…). */
  container?: Omit<ContainerOptions, 'ready'>
  /** Give up on one request after this many ms (default 10000). */
  requestTimeoutMs?: number
}

export interface HttpExchange {
  request: HttpRequestSpec
  upstream: HttpOutcome
  rebuilt: HttpOutcome
}

export interface HttpParity {
  exchanges: HttpExchange[]
  findings: Finding[]
}

/** The port requests go to: the option, else the ready spec's, else a usage error naming the caller. */
export function httpPortOf(options: { port?: number; ready?: ReadySpec }, where: string): number {
  const port = options.port ?? (options.ready && 'port' in options.ready ? options.ready.port : undefined)
  if (port === undefined || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new ImgtestError(
      'IMGTEST_USAGE',
      `${where} needs the container port to send requests to: { port: 8080 } or ready: { port: 8080 }`,
    )
  }
  return port
}

/**
 * Sends one request to a running container's published port and reads the whole answer. A
 * redirect is an answer (not followed); a refused connection or a timeout is an outcome too.
 *
 * @example
 * const outcome = await sendRequest(web, 8080, { method: 'POST', path: '/echo', body: { a: 1 } })
 */
export async function sendRequest(
  container: RunningContainer,
  port: number,
  request: HttpRequestSpec,
  timeoutMs = 10_000,
): Promise<HttpOutcome> {
  const headers = new Headers(request.headers)
  let body: string | undefined
  if (request.body !== undefined) {
    body = typeof request.body === 'string' ? request.body : JSON.stringify(request.body)
    if (typeof request.body !== 'string' && !headers.has('content-type')) {
      headers.set('content-type', 'application/json')
    }
  }
  try {
    const response = await fetch(container.url(port, request.path), {
      method: (request.method ?? 'GET').toUpperCase(),
      headers,
      ...(body === undefined ? {} : { body }),
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    })
    return {
      status: response.status,
      headers: Object.fromEntries(response.headers),
      body: await response.text(),
    }
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause
    return { error: cause?.code ?? cause?.message ?? (error as Error).message }
  }
}

/**
 * Starts a container of each image (ready on the port), sends the same requests to both in the
 * same order and compares status, chosen headers and body: `runtime.http.status`,
 * `runtime.http.header`, `runtime.http.body`.
 *
 * @example
 * const { findings } = await serveInBoth(web, [{ path: '/' }, { method: 'POST', path: '/api', body: { q: 1 } }], { ready: { port: 8080 } })
 */
export async function serveInBoth(
  pair: PairLike,
  requests: readonly HttpRequestSpec[],
  options: HttpParityOptions = {},
): Promise<HttpParity> {
  const refs = refsOf(pair, 'serveInBoth()')
  const port = httpPortOf(options, 'serveInBoth()')
  if (!Array.isArray(requests) || requests.some((r) => typeof r?.path !== 'string')) {
    throw new ImgtestError(
      'IMGTEST_USAGE',
      `serveInBoth() takes a list of requests such as [{ path: '/' }, { method: 'POST', path: '/api', body: {} }]`,
    )
  }
  const start = (ref: string) =>
    startContainer(ref, { ...options.container, ready: options.ready ?? { port } })
  const started = await Promise.allSettled([start(refs.upstream), start(refs.rebuilt)])
  const running = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []))
  try {
    const failed = started.find((s) => s.status === 'rejected')
    if (failed) throw failed.reason
    const [upstream, rebuilt] = running as [RunningContainer, RunningContainer]
    const [hostA, hostB] = await Promise.all([hostnameOf(upstream), hostnameOf(rebuilt)])
    const exchanges: HttpExchange[] = []
    const findings: Finding[] = []
    for (const request of requests) {
      const [a, b] = await Promise.all([
        sendRequest(upstream, port, request, options.requestTimeoutMs),
        sendRequest(rebuilt, port, request, options.requestTimeoutMs),
      ])
      exchanges.push({ request, upstream: a, rebuilt: b })
      const side = (outcome: HttpOutcome, c: RunningContainer, hostname: string): HttpSideResult => ({
        outcome,
        hostname,
        containerId: c.id,
      })
      findings.push(
        ...compareHttpResults(request, side(a, upstream, hostA), side(b, rebuilt, hostB), options),
      )
    }
    return { exchanges, findings }
  } finally {
    await Promise.all(running.map((c) => c.stop({ timeoutMs: 0 })))
  }
}

async function hostnameOf(container: RunningContainer): Promise<string> {
  const info = await (await runtimeEngine()).getContainer(container.id).inspect()
  return info.Config.Hostname
}
