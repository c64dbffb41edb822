import { describe, expect, test } from 'vitest'
import { describeJsonDifferences, jsonDifferences, normalizeJson, parseJson } from './output-json.ts'
import { normalizerChain } from './output-normalizers.ts'

describe('normalizeJson', () => {
  const normalize = normalizerChain()

  test('strings and epoch-like numbers are normalised; other values stay', () => {
    expect(
      normalizeJson({ time: '2024-05-01T12:00:00Z', at: 1796404134, n: 42, ok: true, none: null }, normalize),
    ).toEqual({ time: '<timestamp>', at: '<epoch>', n: 42, ok: true, none: null })
  })

  test('ignored paths, with * for one key or index', () => {
    const value = {
      id: 'a',
      items: [
        { id: 1, v: 'x' },
        { id: 2, v: 'y' },
      ],
      meta: { 'x-y': 1 },
    }
    expect(normalizeJson(value, (t) => t, ['$.items[*].id', 'meta["x-y"]', '$.nothing'])).toEqual({
      id: 'a',
      items: [
        { id: '<ignored>', v: 'x' },
        { id: '<ignored>', v: 'y' },
      ],
      meta: { 'x-y': '<ignored>' },
    })
    expect(normalizeJson({ a: { b: 1, c: 2 } }, (t) => t, ['$.a.*'])).toEqual({
      a: { b: '<ignored>', c: '<ignored>' },
    })
  })
})

describe('jsonDifferences', () => {
  test('key order does not matter', () => {
    expect(jsonDifferences({ a: 1, b: [1, 2] }, { b: [1, 2], a: 1 })).toEqual([])
  })

  test('changed, missing and added keys and array items, with their paths', () => {
    expect(
      jsonDifferences(
        { api: 1, gone: 'x', list: [1, 2], 'content-type': 'a', deep: { v: [{ k: 1 }] } },
        { api: 2, list: [1, 3], added: true, 'content-type': 'b', deep: { v: [{ k: 2 }] } },
      ),
    ).toEqual([
      { path: '$.api', upstream: '1', rebuilt: '2' },
      { path: '$.gone', upstream: '"x"', rebuilt: 'absent' },
      { path: '$.list[1]', upstream: '2', rebuilt: '3' },
      { path: '$["content-type"]', upstream: '"a"', rebuilt: '"b"' },
      { path: '$.deep.v[0].k', upstream: '1', rebuilt: '2' },
      { path: '$.added', upstream: 'absent', rebuilt: 'true' },
    ])
  })

  test('different lengths and types differ at the value itself', () => {
    expect(jsonDifferences([1, 2], [1])).toEqual([{ path: '$', upstream: '[1,2]', rebuilt: '[1]' }])
    expect(jsonDifferences({ a: '1' }, { a: 1 })).toEqual([{ path: '$.a', upstream: '"1"', rebuilt: '1' }])
  })

  test('the description keeps the first five on one line', () => {
    const a = Object.fromEntries(Array.from({ length: 7 }, (_, i) => [`k${i}`, i]))
    const b = Object.fromEntries(Array.from({ length: 7 }, (_, i) => [`k${i}`, i + 1]))
    expect(describeJsonDifferences(jsonDifferences(a, b))).toBe(
      '$.k0: 0 upstream, 1 in rebuilt; $.k1: 1 upstream, 2 in rebuilt; $.k2: 2 upstream, 3 in rebuilt; $.k3: 3 upstream, 4 in rebuilt; $.k4: 4 upstream, 5 in rebuilt; … 2 more',
    )
  })

  test('parseJson tells JSON from text', () => {
    expect(parseJson('{"a":1}')).toEqual({ value: { a: 1 } })
    expect(parseJson('null')).toEqual({ value: null })
    expect(parseJson('<html>')).toBeUndefined()
  })
})
