/**
 * The rpm header format, as rpmdb stores one per installed package (the `blob` of rpmdb.sqlite's
 * Packages table): a big-endian count of index entries (il) and the data size (dl), il entries of
 * 16 bytes (tag, type, offset into the data, count), then dl bytes of data.
 */

export const RPMTAG = {
  NAME: 1000,
  VERSION: 1001,
  RELEASE: 1002,
  EPOCH: 1003,
  LICENSE: 1014,
  ARCH: 1022,
  SOURCERPM: 1044,
} as const

const TYPE_INT32 = 4
const TYPE_STRING = 6
const TYPE_STRING_ARRAY = 8
const TYPE_I18NSTRING = 9

// rpm's own limits (lib/header.c): more entries or data than this is a corrupt header.
const MAX_ENTRIES = 0xffff
const MAX_DATA = 256 * 1024 * 1024

/** Decoded values by tag: strings for STRING and I18NSTRING (its first, default-language value), arrays otherwise. */
export type RpmHeader = Map<number, string | string[] | number[]>

export type RpmHeaderParse = { ok: true; header: RpmHeader } | { ok: false; reason: string }

/**
 * Decodes the integer and string entries of an rpm header blob; other types are skipped. Every
 * offset and count is bounds-checked: a corrupt blob gives a reason, never a throw.
 *
 * @example
 * const parsed = parseRpmHeader(blob)
 * if (parsed.ok) parsed.header.get(RPMTAG.NAME) // 'bash'
 */
export function parseRpmHeader(blob: Uint8Array): RpmHeaderParse {
  const buf = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength)
  if (buf.length < 8)
    return { ok: false, reason: `header is ${buf.length} bytes, shorter than its 8-byte preamble` }
  const il = buf.readUInt32BE(0)
  const dl = buf.readUInt32BE(4)
  if (il > MAX_ENTRIES || dl > MAX_DATA)
    return { ok: false, reason: `header claims ${il} entries and ${dl} data bytes` }
  const dataStart = 8 + il * 16
  if (dataStart + dl > buf.length) {
    return {
      ok: false,
      reason: `header needs ${dataStart + dl} bytes for ${il} entries and ${dl} data bytes, has ${buf.length}`,
    }
  }
  const data = buf.subarray(dataStart, dataStart + dl)
  const header: RpmHeader = new Map()
  for (let i = 0; i < il; i++) {
    const at = 8 + i * 16
    const tag = buf.readInt32BE(at)
    const type = buf.readUInt32BE(at + 4)
    const offset = buf.readInt32BE(at + 8)
    const count = buf.readUInt32BE(at + 12)
    if (offset < 0 || offset > dl)
      return { ok: false, reason: `entry ${i} (tag ${tag}) points outside the data` }
    const value = decode(data, type, offset, count)
    if (value === 'bad')
      return { ok: false, reason: `entry ${i} (tag ${tag}, type ${type}) overruns the data` }
    if (value !== undefined) header.set(tag, value)
  }
  return { ok: true, header }
}

function decode(
  data: Buffer,
  type: number,
  offset: number,
  count: number,
): string | string[] | number[] | 'bad' | undefined {
  switch (type) {
    case TYPE_INT32: {
      if (offset + count * 4 > data.length) return 'bad'
      return Array.from({ length: count }, (_, k) => data.readInt32BE(offset + k * 4))
    }
    case TYPE_STRING:
    case TYPE_I18NSTRING:
    case TYPE_STRING_ARRAY: {
      const strings: string[] = []
      let at = offset
      for (let k = 0; k < (type === TYPE_STRING ? 1 : count); k++) {
        const end = data.indexOf(0, at)
        if (end === -1) return 'bad'
        strings.push(data.toString('utf8', at, end))
        at = end + 1
      }
      return type === TYPE_STRING_ARRAY ? strings : (strings[0] ?? '')
    }
    default:
      return undefined
  }
}

/** A string tag's value, or undefined when absent or of another type. */
export function headerString(header: RpmHeader, tag: number): string | undefined {
  const value = header.get(tag)
  return typeof value === 'string' ? value : undefined
}

/** The first value of an INT32 tag, or undefined. */
export function headerNumber(header: RpmHeader, tag: number): number | undefined {
  const value = header.get(tag)
  return Array.isArray(value) && typeof value[0] === 'number' ? value[0] : undefined
}
