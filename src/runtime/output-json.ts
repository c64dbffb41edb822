import { isDeepStrictEqual } from 'node:util'

/** One place two JSON values differ, with both sides shown short. */
export interface JsonDifference {
  /** `$.a.b[0]`; keys that are not identifiers as `$["content-type"]`. */
  path: string
  /** Short JSON of each side, or `absent`. */
  upstream: string
  rebuilt: string
}

/** JSON text parsed, or undefined when it is not JSON. */
export function parseJson(text: string): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(text) }
  } catch {
    return undefined
  }
}

const IGNORED = '<ignored>'

/**
 * A JSON value with every string (and every number the normalizers rewrite, such as an epoch)
 * normalised, and the values at `ignore` paths (`$.time`, `$.items[*].id`; `*` is one key or
 * index) replaced by `<ignored>`, ready for `jsonDifferences`.
 *
 * @example
 * normalizeJson({ time: '2024-05-01T12:00:00Z', n: 1 }, normalizerChain()) // { time: '<timestamp>', n: 1 }
 */
export function normalizeJson(
  value: unknown,
  normalize: (text: string) => string,
  ignore: readonly string[] = [],
): unknown {
  return walk(value, '$', normalize, ignore.map(jsonPathPattern))
}

function walk(value: unknown, path: string, normalize: (text: string) => string, ignore: RegExp[]): unknown {
  if (ignore.some((pattern) => pattern.test(path))) return IGNORED
  if (typeof value === 'string') return normalize(value)
  if (typeof value === 'number') {
    const text = String(value)
    const normalized = normalize(text)
    return normalized === text ? value : normalized
  }
  if (Array.isArray(value)) return value.map((item, i) => walk(item, `${path}[${i}]`, normalize, ignore))
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, walk(v, `${path}${pathPart(k)}`, normalize, ignore)]),
    )
  }
  return value
}

// `$.items[*].id` → a regex over the paths walk builds (`$.items[0].id`).
function jsonPathPattern(path: string): RegExp {
  const rooted = path.startsWith('$') ? path : `$.${path}`
  const source = rooted
    .replace(/[.+?^${}()|[\]\\]/g, '\\$&')
    .replace(/\\\[\*\\\]/g, '\\[\\d+\\]')
    .replace(/\*/g, '[^.[\\]]+')
  return new RegExp(`^${source}$`)
}

const pathPart = (key: string) => (/^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`)

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)

/**
 * Where two JSON values differ: object keys in any order, arrays index by index (a different
 * length is one difference at the array's path).
 *
 * @example
 * jsonDifferences({ api: 1, v: 'x' }, { v: 'x', api: 2 }) // [{ path: '$.api', upstream: '1', rebuilt: '2' }]
 */
export function jsonDifferences(a: unknown, b: unknown, path = '$'): JsonDifference[] {
  if (isDeepStrictEqual(a, b)) return []
  if (isObject(a) && isObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])]
    return keys.flatMap((k) => {
      const at = `${path}${pathPart(k)}`
      if (!(k in b)) return [{ path: at, upstream: show(a[k]), rebuilt: 'absent' }]
      if (!(k in a)) return [{ path: at, upstream: 'absent', rebuilt: show(b[k]) }]
      return jsonDifferences(a[k], b[k], at)
    })
  }
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    return a.flatMap((item, i) => jsonDifferences(item, b[i], `${path}[${i}]`))
  }
  return [{ path, upstream: show(a), rebuilt: show(b) }]
}

/**
 * The first few differences on one line: `$.api: 1 upstream, 2 in rebuilt; …`.
 *
 * @example
 * describeJsonDifferences(jsonDifferences({ api: 1 }, { api: 2 })) // '$.api: 1 upstream, 2 in rebuilt'
 */
export function describeJsonDifferences(differences: readonly JsonDifference[], max = 5): string {
  const shown = differences
    .slice(0, max)
    .map((d) => `${d.path}: ${d.upstream} upstream, ${d.rebuilt} in rebuilt`)
  const more = differences.length > max ? `; … ${differences.length - max} more` : ''
  return `${shown.join('; ')}${more}`
}

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value)
  return text.length > 60 ? `${text.slice(0, 59)}…` : text
}
