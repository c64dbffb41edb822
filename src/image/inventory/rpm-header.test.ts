import { describe, expect, test } from 'vitest'
import { headerNumber, headerString, parseRpmHeader, RPMTAG } from './rpm-header.ts'

type Value = { type: 4; values: number[] } | { type: 6 | 9; value: string } | { type: 8; values: string[] }

/** A header blob by hand: entries in tag order, INT32 data aligned to 4 as rpm writes it. */
function headerBlob(entries: [number, Value][]): Buffer {
  const index: Buffer[] = []
  let data = Buffer.alloc(0)
  for (const [tag, value] of entries) {
    let bytes: Buffer
    let count: number
    if (value.type === 4) {
      data = Buffer.concat([data, Buffer.alloc((4 - (data.length % 4)) % 4)])
      bytes = Buffer.alloc(value.values.length * 4)
      value.values.forEach((v, k) => bytes.writeInt32BE(v, k * 4))
      count = value.values.length
    } else if (value.type === 8) {
      bytes = Buffer.from(value.values.map((s) => `${s}\0`).join(''))
      count = value.values.length
    } else {
      bytes = Buffer.from(`${value.value}\0`)
      count = 1
    }
    const entry = Buffer.alloc(16)
    entry.writeInt32BE(tag, 0)
    entry.writeUInt32BE(value.type, 4)
    entry.writeInt32BE(data.length, 8)
    entry.writeUInt32BE(count, 12)
    index.push(entry)
    data = Buffer.concat([data, bytes])
  }
  const preamble = Buffer.alloc(8)
  preamble.writeUInt32BE(entries.length, 0)
  preamble.writeUInt32BE(data.length, 4)
  return Buffer.concat([preamble, ...index, data])
}

const sample = headerBlob([
  [RPMTAG.NAME, { type: 6, value: 'bash' }],
  [RPMTAG.VERSION, { type: 6, value: '5.2.26' }],
  [RPMTAG.RELEASE, { type: 6, value: '3.fc40' }],
  [RPMTAG.EPOCH, { type: 4, values: [1] }],
  [1004, { type: 9, value: 'The GNU Bourne Again shell' }], // SUMMARY, an I18NSTRING
  [RPMTAG.LICENSE, { type: 6, value: 'GPL-3.0-or-later' }],
  [RPMTAG.ARCH, { type: 6, value: 'x86_64' }],
  [1047, { type: 8, values: ['bash', 'sh'] }], // PROVIDENAME, a STRING_ARRAY
])

describe('parseRpmHeader', () => {
  test('strings, i18n strings, string arrays and int32', () => {
    const parsed = parseRpmHeader(sample)
    if (!parsed.ok) throw new Error(parsed.reason)
    const { header } = parsed
    expect(headerString(header, RPMTAG.NAME)).toBe('bash')
    expect(headerString(header, RPMTAG.RELEASE)).toBe('3.fc40')
    expect(headerNumber(header, RPMTAG.EPOCH)).toBe(1)
    expect(header.get(1004)).toBe('The GNU Bourne Again shell')
    expect(header.get(1047)).toEqual(['bash', 'sh'])
    expect(headerString(header, RPMTAG.SOURCERPM)).toBeUndefined()
    expect(headerNumber(header, RPMTAG.NAME)).toBeUndefined()
  })

  test.each([
    ['empty', Buffer.alloc(0), 'header is 0 bytes, shorter than its 8-byte preamble'],
    [
      'cut short',
      sample.subarray(0, sample.length - 5),
      `header needs ${sample.length} bytes for 8 entries and`,
    ],
    [
      'absurd counts',
      Buffer.from([0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0]),
      'header claims 4294967295 entries and 0 data bytes',
    ],
  ])('%s: a reason, not a throw', (_, blob, reason) => {
    const parsed = parseRpmHeader(blob)
    expect(parsed.ok).toBe(false)
    expect(parsed.ok ? '' : parsed.reason).toContain(reason)
  })

  test('an offset outside the data, a string without its NUL, an int32 past the end', () => {
    const outside = Buffer.from(sample)
    outside.writeInt32BE(1_000_000, 8 + 8)
    expect(parseRpmHeader(outside)).toEqual({
      ok: false,
      reason: 'entry 0 (tag 1000) points outside the data',
    })
    const noNul = headerBlob([[RPMTAG.NAME, { type: 6, value: 'bash' }]])
    expect(parseRpmHeader(dropNul(noNul))).toEqual({
      ok: false,
      reason: 'entry 0 (tag 1000, type 6) overruns the data',
    })
    const int = headerBlob([[RPMTAG.EPOCH, { type: 4, values: [1] }]])
    int.writeUInt32BE(2, 8 + 12)
    expect(parseRpmHeader(int)).toEqual({ ok: false, reason: 'entry 0 (tag 1003, type 4) overruns the data' })
  })
})

// The same header with its string's NUL replaced: the data size stays right, the string never ends.
function dropNul(blob: Buffer): Buffer {
  const copy = Buffer.from(blob)
  copy[copy.length - 1] = 0x41
  return copy
}
