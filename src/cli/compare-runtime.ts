import type { Finding } from '../compare/finding.ts'
import { ImgtestError } from '../errors.ts'
import { runInBoth } from '../runtime/behaviour-command.ts'
import { serveInBoth } from '../runtime/behaviour-http.ts'
import type { HttpRequestSpec } from '../runtime/behaviour-http-check.ts'
import { stopParity } from '../runtime/behaviour-stop.ts'
import type { NormalizeOptions } from '../runtime/output-normalizers.ts'
import { measureStartup } from '../runtime/startup-parity.ts'
import type { CompareRuntimeOptions } from './runtime-options.ts'

/**
 * The runtime half of `imgtest compare`: startup parity (interleaved runs), HTTP parity on the
 * ready port when the probe is HTTP (or `http` lists requests), the optional command, and the
 * graceful stop, one after another so the timings do not share the machine with the other checks.
 *
 * @example
 * const findings = await compareRuntime('web:1', 'web:1-hardened', { ready: { port: 8080, http: { path: '/' } } })
 */
export async function compareRuntime(
  upstreamRef: string,
  rebuiltRef: string,
  options: CompareRuntimeOptions,
): Promise<Finding[]> {
  const { ready } = options
  if (ready === undefined) {
    throw new ImgtestError(
      'IMGTEST_USAGE',
      'compare --runtime needs a readiness option: --ready-port <port> (with --ready-http <path>), --ready-log <regex> or --ready-healthcheck',
    )
  }
  const pair = { upstream: upstreamRef, rebuilt: rebuiltRef }
  const container = options.container ?? {}
  const findings: Finding[] = []
  if (options.startup !== false) {
    const result = await measureStartup(pair, { ready, container, ...options.startup })
    findings.push(...result.findings)
  }
  const requests = httpRequestsOf(options)
  if (requests.length > 0) {
    const port = 'port' in ready ? ready.port : undefined
    if (port === undefined) {
      throw new ImgtestError(
        'IMGTEST_USAGE',
        'compare --runtime: --http-path needs --ready-port, the port to send requests to',
      )
    }
    const result = await serveInBoth(pair, requests, {
      ready,
      port,
      container,
      ...(options.headers === undefined ? {} : { headers: options.headers }),
      ...(options.normalize === undefined ? {} : { normalize: options.normalize }),
    })
    findings.push(...result.findings)
  }
  if (options.command !== undefined) {
    const result = await runInBoth(pair, options.command, {
      container,
      ...(options.normalize === undefined ? {} : { normalize: options.normalize }),
    })
    findings.push(...result.findings)
  }
  if (options.stop !== false) {
    const result = await stopParity(pair, { ready, container, ...options.stop })
    findings.push(...result.findings)
  }
  return findings
}

function httpRequestsOf(options: CompareRuntimeOptions): HttpRequestSpec[] {
  if (options.http === false) return []
  if (options.http !== undefined) return options.http
  const { ready } = options
  return 'port' in ready && ready.http !== undefined ? [{ path: ready.http.path ?? '/' }] : []
}
