import type { Finding } from '../compare/finding.ts'
import { newFinding } from '../compare/finding.ts'
import { unifiedDiff } from './output-diff.ts'
import { describeJsonDifferences, jsonDifferences, normalizeJson, parseJson } from './output-json.ts'
import { type NormalizeOptions, normalizerChain } from './output-normalizers.ts'

/** One request sent the same way to both containers. */
export interface HttpRequestSpec {
  /** Default GET. */
  method?: string
  /** Path and query, e.g. `/api/info?x=1`. */
  path: string
  headers?: Record<string, string>
  /** A string is sent as is; anything else as JSON (with `content-type: application/json` unless set). */
  body?: unknown
  /** A name for keys and messages; default `<METHOD> <path>`. */
  name?: string
}

/** What came back: a response, or why none did. */
export type HttpOutcome =
  | { status: number; headers: Record<string, string>; body: string }
  | { error: string }

/** One side's answer with the container it came from, for normalising its own hostname and id. */
export interface HttpSideResult {
  outcome: HttpOutcome
  hostname?: string
  containerId?: string
}

export interface HttpCompareOptions {
  /** Response headers to compare, case-insensitive (default `['content-type']`; Date and Server only when listed). */
  headers?: readonly string[]
  /** `false` compares bodies raw; otherwise built-ins (default all but ipv4) and extra patterns. */
  normalize?: NormalizeOptions | false
  /** JSON paths left out of the body comparison: `$.time`, `$.items[*].id` (`*` is one key or index). */
  ignoreJsonPaths?: readonly string[]
  /** Compare bodies at all (default true). */
  body?: boolean
}

/** The key of a request in findings: its name, or `GET /path`. */
export function requestKey(request: HttpRequestSpec): string {
  return request.name ?? `${(request.method ?? 'GET').toUpperCase()} ${request.path}`
}

const MAX_VALUE_CHARS = 4000

/**
 * Compares one request's answers from upstream and rebuilt: status (`runtime.http.status`; a
 * failed request counts as a status), the chosen headers (`runtime.http.header`, key
 * `<request> <header>`) and the body (`runtime.http.body`), JSON structurally when either side
 * says JSON, text with a unified diff otherwise. Bodies and headers are only compared when the
 * statuses agree.
 *
 * @example
 * compareHttpResults({ path: '/api' }, upstreamSide, rebuiltSide, { headers: ['content-type', 'cache-control'] })
 */
export function compareHttpResults(
  request: HttpRequestSpec,
  upstream: HttpSideResult,
  rebuilt: HttpSideResult,
  options: HttpCompareOptions = {},
): Finding[] {
  const key = requestKey(request)
  const a = upstream.outcome
  const b = rebuilt.outcome
  if ('error' in a || 'error' in b || a.status !== b.status) {
    const show = (o: HttpOutcome) => ('error' in o ? `no response (${o.error})` : `${o.status}`)
    if ('error' in a && 'error' in b) return []
    return [
      newFinding({
        check: 'runtime.http.status',
        key,
        upstream: 'error' in a ? a.error : a.status,
        rebuilt: 'error' in b ? b.error : b.status,
        message: `${key} answers ${show(a)} upstream, ${show(b)} in rebuilt`,
      }),
    ]
  }
  const normalizeA = chainFor(upstream, options.normalize)
  const normalizeB = chainFor(rebuilt, options.normalize)
  const findings: Finding[] = []
  for (const name of (options.headers ?? ['content-type']).map((h) => h.toLowerCase())) {
    const va = headerValue(name, a.headers[name], normalizeA)
    const vb = headerValue(name, b.headers[name], normalizeB)
    if (va === vb) continue
    const show = (v: string | undefined) => (v === undefined ? 'no such header' : `'${v}'`)
    findings.push(
      newFinding({
        check: 'runtime.http.header',
        key: `${key} ${name}`,
        ...(va === undefined ? {} : { upstream: va }),
        ...(vb === undefined ? {} : { rebuilt: vb }),
        message: `${name} of ${key}: ${show(va)} upstream, ${show(vb)} in rebuilt`,
      }),
    )
  }
  if (options.body === false) return findings
  const body = compareBodies(key, a, b, normalizeA, normalizeB, options)
  return body === undefined ? findings : [...findings, body]
}

function chainFor(side: HttpSideResult, normalize: NormalizeOptions | false | undefined) {
  if (normalize === false) return (text: string) => text
  return normalizerChain(normalize, { 'container-id': side.containerId, hostname: side.hostname })
}

// Media types compare case-insensitively and without spaces around parameters.
function headerValue(name: string, value: string | undefined, normalize: (text: string) => string) {
  if (value === undefined) return undefined
  if (name === 'content-type')
    return value
      .toLowerCase()
      .replace(/\s*([;=])\s*/g, '$1')
      .trim()
  return normalize(value.trim())
}

const isJsonType = (type: string | undefined) => type !== undefined && /[/+]json\b/i.test(type)

function compareBodies(
  key: string,
  a: { headers: Record<string, string>; body: string },
  b: { headers: Record<string, string>; body: string },
  normalizeA: (text: string) => string,
  normalizeB: (text: string) => string,
  options: HttpCompareOptions,
): Finding | undefined {
  const json = isJsonType(a.headers['content-type']) || isJsonType(b.headers['content-type'])
  const ja = json ? parseJson(a.body) : undefined
  const jb = json ? parseJson(b.body) : undefined
  if (ja !== undefined && jb !== undefined) {
    const va = normalizeJson(ja.value, normalizeA, options.ignoreJsonPaths)
    const vb = normalizeJson(jb.value, normalizeB, options.ignoreJsonPaths)
    const differences = jsonDifferences(va, vb)
    if (differences.length === 0) return undefined
    return newFinding({
      check: 'runtime.http.body',
      key,
      upstream: va,
      rebuilt: vb,
      message: `JSON body of ${key} differs at ${describeJsonDifferences(differences)}`,
    })
  }
  const ta = normalizeA(a.body)
  const tb = normalizeB(b.body)
  if (ta === tb) return undefined
  return newFinding({
    check: 'runtime.http.body',
    key,
    upstream: clip(ta),
    rebuilt: clip(tb),
    message: `body of ${key} differs${options.normalize === false ? '' : ' after normalisation'}:\n${unifiedDiff(ta, tb)}`,
  })
}

function clip(text: string): string {
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS)}… (${text.length} chars)` : text
}
