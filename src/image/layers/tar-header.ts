/**
 * One 512-byte tar header block, decoded: ustar, GNU (long names, old-style sparse) and the pax
 * records that extend them. Pure byte parsing; the streaming state lives in TarParser.
 */

export const BLOCK = 512

/** Entry types that carry no data whatever their size field says (as Go's archive/tar, which wrote most layers). */
export const HEADER_ONLY_TYPES: ReadonlySet<string> = new Set(['1', '2', '3', '4', '5', '6'])
/** pax (`x`, Solaris `X`, global `g`) and GNU long-name (`L`, `K`) headers: they describe the next entry. */
export const META_TYPES: ReadonlySet<string> = new Set(['x', 'X', 'g', 'L', 'K'])
/** pax and long-name blocks are small; a huge one is a hostile or broken tar. */
export const MAX_META_BYTES = 1024 * 1024

/** A tar stream that cannot be read (bad checksum, impossible sizes, cut short). */
export class TarFormatError extends Error {
  override name = 'TarFormatError'
  /** The stream stopped inside an entry (as opposed to bytes that are not a tar). */
  readonly truncated: boolean

  constructor(message: string, options: { truncated?: boolean } = {}) {
    super(message)
    this.truncated = options.truncated ?? false
  }
}

export interface TarHeader {
  /** The stored name: ustar prefix joined, not yet normalised. */
  name: string
  /** The typeflag as a character; the historic NUL of a regular file is `'0'`. */
  typeflag: string
  mode: number
  uid: number
  gid: number
  /** Bytes of data after the header (before padding to a block). */
  size: number
  linkname: string
  /** Old GNU sparse (`S`): the logical size, and whether extension blocks of the sparse map follow. */
  realSize?: number
  sparseExtended?: boolean
}

const USTAR = Buffer.from('ustar\x00')
const GNU = Buffer.from('ustar  \x00')

function text(block: Buffer, start: number, length: number): string {
  const end = block.indexOf(0, start)
  return block.toString('utf8', start, end === -1 || end > start + length ? start + length : end)
}

/**
 * A numeric field: octal text (spaces and NULs around it), or GNU's base-256 when the first
 * byte has its high bit set. Negative or unsafe values are a format error.
 */
export function tarNumber(block: Buffer, start: number, length: number, what: string): number {
  const first = block[start] ?? 0
  if (first & 0x80) {
    if (first === 0xff) throw new TarFormatError(`negative ${what} in a tar header`)
    let value = first & 0x7f
    for (let i = start + 1; i < start + length; i++) value = value * 256 + (block[i] ?? 0)
    if (!Number.isSafeInteger(value))
      throw new TarFormatError(`${what} ${value} in a tar header is too large`)
    return value
  }
  const digits = block
    .toString('latin1', start, start + length)
    .replace(/[\0 ]+$/, '')
    .replace(/^[\0 ]+/, '')
  if (digits === '') return 0
  if (!/^[0-7]+$/.test(digits)) throw new TarFormatError(`${what} "${digits}" in a tar header is not octal`)
  const value = Number.parseInt(digits, 8)
  if (!Number.isSafeInteger(value)) throw new TarFormatError(`${what} ${digits} in a tar header is too large`)
  return value
}

function checksumOk(block: Buffer): boolean {
  const stored = tarNumber(block, 148, 8, 'checksum')
  let unsigned = 8 * 0x20
  let signed = 8 * 0x20
  for (let i = 0; i < BLOCK; i++) {
    if (i >= 148 && i < 156) continue
    const byte = block[i] ?? 0
    unsigned += byte
    signed += byte > 127 ? byte - 256 : byte
  }
  // Some old tars summed signed bytes; both are accepted, as GNU tar does.
  return stored === unsigned || stored === signed
}

/** True for the all-zero block that ends an archive. */
export function isZeroBlock(block: Buffer): boolean {
  for (let i = 0; i < BLOCK; i++) if (block[i] !== 0) return false
  return true
}

/**
 * Decodes a header block, or returns undefined for an end-of-archive (all-zero) block.
 *
 * @example
 * const header = parseTarHeader(block) // { name: 'usr/bin/env', typeflag: '0', mode: 0o755, … }
 */
export function parseTarHeader(block: Buffer): TarHeader | undefined {
  if (block.length < BLOCK) throw new TarFormatError('a tar header is shorter than 512 bytes')
  if (isZeroBlock(block)) return undefined
  if (!checksumOk(block)) throw new TarFormatError('bad tar header checksum')
  const flag = block[156] ?? 0
  const typeflag = flag === 0 ? '0' : String.fromCharCode(flag)
  let name = text(block, 0, 100)
  const ustar = block.subarray(257, 263).equals(USTAR)
  const gnu = block.subarray(257, 265).equals(GNU)
  if (ustar && block[345] !== 0) name = `${text(block, 345, 155)}/${name}`
  const header: TarHeader = {
    name,
    typeflag,
    mode: tarNumber(block, 100, 8, 'mode'),
    uid: tarNumber(block, 108, 8, 'uid'),
    gid: tarNumber(block, 116, 8, 'gid'),
    size: tarNumber(block, 124, 12, 'size'),
    linkname: text(block, 157, 100),
  }
  if (typeflag === 'S' && gnu) {
    header.realSize = tarNumber(block, 483, 12, 'sparse real size')
    header.sparseExtended = block[482] !== 0
  }
  return header
}

/** Parses pax extended header records (`<length> <key>=<value>\n`). */
export function parsePaxRecords(data: Buffer): Record<string, string> {
  const records: Record<string, string> = {}
  let offset = 0
  while (offset < data.length) {
    if (data[offset] === 0) break // padding some writers leave
    const space = data.indexOf(0x20, offset)
    const length = Number(data.toString('latin1', offset, space))
    if (space === -1 || !Number.isSafeInteger(length) || length <= 0 || offset + length > data.length) {
      throw new TarFormatError('malformed pax header record')
    }
    const record = data.toString('utf8', space + 1, offset + length - 1)
    const equals = record.indexOf('=')
    if (equals === -1) throw new TarFormatError('malformed pax header record')
    records[record.slice(0, equals)] = record.slice(equals + 1)
    offset += length
  }
  return records
}
