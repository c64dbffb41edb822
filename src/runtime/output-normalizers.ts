import { ImgtestError } from '../errors.ts'

/**
 * One rewrite applied to a command's output or an HTTP body before upstream and rebuilt are
 * compared: every match of `pattern` becomes `replacement` (default `<name>`).
 */
export interface Normalizer {
  name: string
  pattern: RegExp
  replacement?: string
}

/** What `normalize` options accept: a built-in's name, a regex (matches become `<match>`), or a normalizer. */
export type NormalizerSpec = BuiltinNormalizerName | RegExp | Normalizer

const DAY = '(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)'
const MONTH = '(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)'
const HMS = '\\d{2}:\\d{2}:\\d{2}(?:[.,]\\d+)?'
// Zone names only where they cannot be a log level or a word: `INFO` after a time is not a zone.
const ISO_ZONE = '(?:Z|[+-]\\d{2}(?::?\\d{2})?|\\s?(?:UTC|GMT))'
const RFC_ZONE = '(?:[+-]\\d{4}|UTC|GMT|UT|[ECMP][SD]T)'

// Order matters: whole timestamps go before the bare times, numbers and hex runs inside them.
const builtins = {
  /** `/tmp/tmp.AbC123`, `/var/tmp/x`: mktemp names differ on every run. */
  'tmp-paths': { pattern: /(?:\/var)?\/tmp\/[^\s'"`:;,)\]}]+/g, replacement: '<tmp-path>' },
  uuids: {
    pattern: /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi,
    replacement: '<uuid>',
  },
  /** ISO 8601 / RFC 3339 (`2024-05-01T12:00:00.123Z`, `2024-05-01 12:00:00+02:00`, `20240501T120000Z`). */
  'iso-timestamps': {
    pattern: new RegExp(
      `\\b\\d{4}-\\d{2}-\\d{2}[T ]\\d{2}:\\d{2}(?::\\d{2}(?:[.,]\\d+)?)?${ISO_ZONE}?(?![\\w:])|\\b\\d{8}T\\d{6}(?:Z|[+-]\\d{4})?\\b`,
      'g',
    ),
    replacement: '<timestamp>',
  },
  /** RFC 2822 / HTTP dates: `Tue, 07 May 2024 12:00:00 +0000`, `… GMT`. */
  'rfc2822-timestamps': {
    pattern: new RegExp(
      `\\b(?:${DAY},\\s+)?\\d{1,2}\\s+${MONTH}\\s+\\d{4}\\s+${HMS}(?:\\s+${RFC_ZONE})?\\b`,
      'g',
    ),
    replacement: '<timestamp>',
  },
  /** `date`, ctime and syslog: `Thu Dec  4 17:06:14 UTC 2026`, `Thu Dec  4 17:06:14 2026`, `Dec  4 17:06:14`. */
  'date-timestamps': {
    pattern: new RegExp(
      `\\b(?:${DAY}\\s+)?${MONTH}\\s+\\d{1,2}\\s+${HMS}(?:\\s+[A-Z]{3,5}(?=\\s+\\d{4}))?(?:\\s+\\d{4})?\\b`,
      'g',
    ),
    replacement: '<timestamp>',
  },
  /** Common log format (nginx, Apache, busybox httpd): `04/Dec/2026:17:06:14 +0000`. */
  'clf-timestamps': {
    pattern: new RegExp(`\\b\\d{2}\\/${MONTH}\\/\\d{4}:${HMS}(?:\\s[+-]\\d{4})?`, 'g'),
    replacement: '<timestamp>',
  },
  /** A bare time of day, `17:06:14` or `17:06:14.123`, as log prefixes print it. */
  times: { pattern: new RegExp(`(?<![\\w:])${HMS}(?![\\w:])`, 'g'), replacement: '<time>' },
  /** Unix time in seconds or milliseconds, 2001–2033 (`1733333333`, `1733333333123`, `1733333333.5`). */
  epochs: { pattern: /(?<![\w.])1\d{9}(?:\d{3})?(?:\.\d+)?(?!\w|\.\d)/g, replacement: '<epoch>' },
  /** `0.123s`, `12ms`, `1.5 s`, `3µs`, `2m30s`, `250 milliseconds`. */
  durations: {
    pattern:
      /(?<![\w.])\d+(?:\.\d+)?(?:(?:h|m|s|ms|us|µs|ns)(?:\d+(?:\.\d+)?(?:h|m|s|ms|us|µs|ns))*|\s?(?:ms|s|secs?|seconds?|milliseconds?|minutes?|mins?))(?!\w|\.\d)/g,
    replacement: '<duration>',
  },
  /** Runs of 8+ hex digits with a digit and a letter: container ids, digests, git shas, request ids. */
  'hex-ids': {
    pattern:
      /\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{8,}\b|\b(?=[0-9A-F]*\d)(?=[0-9A-F]*[A-F])[0-9A-F]{8,}\b/g,
    replacement: '<hex>',
  },
  /** IPv4 addresses; not on by default (`0.0.0.0` vs `127.0.0.1` in a listen line is a real difference). */
  ipv4: {
    pattern: /(?<![\w.])(?:25[0-5]|2[0-4]\d|1?\d?\d)(?:\.(?:25[0-5]|2[0-4]\d|1?\d?\d)){3}(?![\w.])/g,
    replacement: '<ip>',
  },
} satisfies Record<string, Omit<Normalizer, 'name'>>

export type BuiltinNormalizerName = keyof typeof builtins

/** Every built-in, in the order they apply. */
export const builtinNormalizerNames = Object.keys(builtins) as BuiltinNormalizerName[]

/** The built-ins used when a caller says nothing: all but `ipv4`. */
export const defaultNormalizerNames: readonly BuiltinNormalizerName[] = builtinNormalizerNames.filter(
  (name) => name !== 'ipv4',
)

/** A built-in normalizer by name. */
export function builtinNormalizer(name: BuiltinNormalizerName): Normalizer {
  const builtin = builtins[name]
  if (builtin === undefined) {
    throw new ImgtestError(
      'IMGTEST_USAGE',
      `unknown normalizer '${name}'; built-ins: ${builtinNormalizerNames.join(', ')}`,
    )
  }
  return { name, ...builtin }
}

/**
 * A normalizer replacing one exact string, such as a container's id or hostname (its short id),
 * which no pattern can tell from other hex.
 *
 * @example
 * literalNormalizer('hostname', 'f2f13aeb0d71') // 'host f2f13aeb0d71' → 'host <hostname>'
 */
export function literalNormalizer(name: string, value: string): Normalizer {
  return { name, pattern: new RegExp(value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'g') }
}

/** Turns specs into normalizers; a bare regex gets the g flag (or only its first match would go). */
export function resolveNormalizers(specs: readonly NormalizerSpec[]): Normalizer[] {
  return specs.map((spec) => {
    if (typeof spec === 'string') return builtinNormalizer(spec)
    if (spec instanceof RegExp) return { name: 'match', pattern: globalRegex(spec) }
    if (!(spec?.pattern instanceof RegExp)) {
      throw new ImgtestError(
        'IMGTEST_USAGE',
        `a normalizer is a built-in name, a RegExp or { name, pattern: RegExp, replacement? }, not ${JSON.stringify(spec)}`,
      )
    }
    return { ...spec, pattern: globalRegex(spec.pattern) }
  })
}

function globalRegex(pattern: RegExp): RegExp {
  return pattern.global ? pattern : new RegExp(pattern.source, `${pattern.flags}g`)
}

/**
 * Applies normalizers in order; composable, since the output of one chain can feed another.
 *
 * @example
 * normalizeOutput('started 2024-05-01T12:00:00Z in 0.12s', resolveNormalizers(defaultNormalizerNames))
 * // 'started <timestamp> in <duration>'
 */
export function normalizeOutput(text: string, normalizers: readonly Normalizer[]): string {
  let out = text
  for (const normalizer of normalizers) {
    out = out.replace(normalizer.pattern, normalizer.replacement ?? `<${normalizer.name}>`)
  }
  return out
}

/** How callers choose normalizers: `builtins` (default: all but ipv4; `[]` for none) then `extra`, in order. */
export interface NormalizeOptions {
  builtins?: readonly BuiltinNormalizerName[]
  extra?: readonly (RegExp | Normalizer)[]
}

/**
 * The chain for one container: its own id and hostname first (exact strings), then the built-ins,
 * then the caller's patterns.
 *
 * @example
 * const normalize = normalizerChain({ extra: [/pid \d+/g] }, { hostname: 'f2f13aeb0d71' })
 * normalize('host f2f13aeb0d71 pid 12') // 'host <hostname> <match>'
 */
export function normalizerChain(
  options: NormalizeOptions = {},
  literals: Record<string, string | undefined> = {},
): (text: string) => string {
  // Longest first, so a full container id is replaced before its 12-character hostname prefix.
  const exact = Object.entries(literals)
    .filter((entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1] !== '')
    .sort((a, b) => b[1].length - a[1].length)
    .map(([name, value]) => literalNormalizer(name, value))
  const chain = [
    ...exact,
    ...resolveNormalizers(options.builtins ?? defaultNormalizerNames),
    ...resolveNormalizers(options.extra ?? []),
  ]
  return (text) => normalizeOutput(text, chain)
}
