import { describe, expect, test } from 'vitest'
import {
  compareHttpResults,
  type HttpOutcome,
  type HttpSideResult,
  requestKey,
} from './behaviour-http-check.ts'

const json = (body: object, headers: Record<string, string> = {}): HttpOutcome => ({
  status: 200,
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
})
const side = (outcome: HttpOutcome, hostname = 'f2f13aeb0d71'): HttpSideResult => ({ outcome, hostname })
const info = { path: '/cgi-bin/info' }

describe('compareHttpResults', () => {
  test('JSON bodies compare structurally after normalisation (key order, times, hostnames, ids)', () => {
    const a = json({
      time: '2026-12-04T17:08:55Z',
      api: 1,
      host: 'f2f13aeb0d71',
      id: '8e14830f-3796-445a-930d-2c499d5bb87b',
    })
    const b = json({
      api: 1,
      id: '50844f27-c1aa-4687-b4f2-dac43b1a3e88',
      host: '1f0e3b2a4c55',
      time: '2026-12-04T17:09:31Z',
    })
    expect(compareHttpResults(info, side(a), side(b, '1f0e3b2a4c55'))).toEqual([])
  })

  test('a changed JSON field is a body finding naming its path', () => {
    const findings = compareHttpResults(info, side(json({ api: 1, v: 'x' })), side(json({ v: 'x', api: 2 })))
    expect(findings).toEqual([
      {
        check: 'runtime.http.body',
        key: 'GET /cgi-bin/info',
        upstream: { api: 1, v: 'x' },
        rebuilt: { v: 'x', api: 2 },
        allowed: false,
        message: 'JSON body of GET /cgi-bin/info differs at $.api: 1 upstream, 2 in rebuilt',
      },
    ])
  })

  test('ignoreJsonPaths leaves fields out', () => {
    expect(
      compareHttpResults(info, side(json({ api: 1, build: 'a' })), side(json({ api: 1, build: 'b' })), {
        ignoreJsonPaths: ['$.build'],
      }),
    ).toEqual([])
  })

  test('text bodies compare after normalisation, with a diff', () => {
    const text = (body: string): HttpOutcome => ({
      status: 200,
      headers: { 'content-type': 'text/plain' },
      body,
    })
    const hello = (host: string, extra = '') =>
      `hello from ${host}\nit is Fri Dec  4 17:08:55 UTC 2026\n${extra}`
    expect(
      compareHttpResults(
        { path: '/hello' },
        side(text(hello('f2f13aeb0d71'))),
        side(text(hello('1f0e3b2a4c55')), '1f0e3b2a4c55'),
      ),
    ).toEqual([])
    const [finding] = compareHttpResults(
      { path: '/hello' },
      side(text(hello('a'))),
      side(text(hello('a', 'bye\n'))),
    )
    expect(finding?.message).toBe(
      'body of GET /hello differs after normalisation:\n--- upstream\n+++ rebuilt\n@@ -2 +2,2 @@\n it is <timestamp>\n+bye',
    )
  })

  test('a different status is one finding; headers and body are not compared then', () => {
    const findings = compareHttpResults(
      { method: 'post', path: '/x' },
      side({ status: 200, headers: {}, body: 'a' }),
      side({ status: 404, headers: { 'content-type': 'text/html' }, body: 'b' }),
    )
    expect(findings).toEqual([
      {
        check: 'runtime.http.status',
        key: 'POST /x',
        upstream: 200,
        rebuilt: 404,
        allowed: false,
        message: 'POST /x answers 200 upstream, 404 in rebuilt',
      },
    ])
  })

  test('no response on one side is a status finding; on both, none', () => {
    const refused: HttpOutcome = { error: 'ECONNRESET' }
    expect(compareHttpResults(info, side(json({})), side(refused))[0]?.message).toBe(
      'GET /cgi-bin/info answers 200 upstream, no response (ECONNRESET) in rebuilt',
    )
    expect(compareHttpResults(info, side(refused), side(refused))).toEqual([])
  })

  test('content-type by default (media types case- and space-insensitive); other headers when asked', () => {
    const a = json(
      {},
      {
        'content-type': 'application/json; charset=UTF-8',
        'cache-control': 'no-store',
        date: 'Tue, 07 May 2024 12:00:00 GMT',
      },
    )
    const b = json(
      {},
      { 'content-type': 'application/json;charset=utf-8', date: 'Tue, 07 May 2024 12:00:09 GMT' },
    )
    expect(compareHttpResults(info, side(a), side(b))).toEqual([])
    const findings = compareHttpResults(info, side(a), side(b), {
      headers: ['Content-Type', 'Cache-Control', 'Date'],
    })
    expect(findings).toEqual([
      {
        check: 'runtime.http.header',
        key: 'GET /cgi-bin/info cache-control',
        upstream: 'no-store',
        allowed: false,
        message: "cache-control of GET /cgi-bin/info: 'no-store' upstream, no such header in rebuilt",
      },
    ])
    const html = json({}, { 'content-type': 'text/html' })
    expect(compareHttpResults(info, side(a), side(html))[0]).toMatchObject({
      check: 'runtime.http.header',
      upstream: 'application/json;charset=utf-8',
      rebuilt: 'text/html',
    })
  })

  test('requestKey: the name, else method and path', () => {
    expect(requestKey({ path: '/' })).toBe('GET /')
    expect(requestKey({ path: '/', method: 'head' })).toBe('HEAD /')
    expect(requestKey({ path: '/', name: 'home' })).toBe('home')
  })
})
