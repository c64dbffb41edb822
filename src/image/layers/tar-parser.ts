import {
  BLOCK,
  HEADER_ONLY_TYPES,
  MAX_META_BYTES,
  META_TYPES,
  parsePaxRecords,
  parseTarHeader,
  TarFormatError,
  type TarHeader,
} from './tar-header.ts'

/** An entry as the layer sees it: pax and GNU long names applied, sparse files at their logical size. */
export interface TarEntryHeader {
  /** The stored name (not normalised). */
  name: string
  typeflag: string
  mode: number
  uid: number
  gid: number
  /** The logical size; for a sparse file the size it expands to, not the bytes stored. */
  size: number
  linkname: string
  /** GNU sparse (old `S` headers or pax 0.x/1.0): the data that follows is a map plus fragments. */
  sparse: boolean
}

export type TarEvent =
  | { kind: 'entry'; header: TarEntryHeader }
  | { kind: 'data'; chunk: Buffer }
  | { kind: 'end' }

type State = 'header' | 'meta' | 'data' | 'skip' | 'sparse-map' | 'eof'

const padding = (size: number) => (BLOCK - (size % BLOCK)) % BLOCK

function paxNumber(value: string | undefined, what: string): number | undefined {
  if (value === undefined) return undefined
  const number = Number(value)
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(number)) {
    throw new TarFormatError(`pax ${what} "${value}" is not a size`)
  }
  return number
}

/**
 * A push parser of a tar stream that never buffers entry data: `feed` each chunk and handle the
 * events it yields (an entry's header, its data in pieces, its end), then call `finish`.
 * Memory is one header block plus pax records, whatever the entry sizes claim.
 *
 * @example
 * const parser = new TarParser()
 * for await (const chunk of stream) for (const event of parser.feed(chunk)) handle(event)
 * parser.finish()
 */
export class TarParser {
  #state: State = 'header'
  #block = Buffer.alloc(BLOCK)
  #fill = 0
  #remaining = 0
  #padAfter = 0
  #meta: Buffer[] = []
  #metaHeader: TarHeader | undefined
  #pending: TarHeader | undefined
  #pax: Record<string, string> = {}
  #paxGlobal: Record<string, string> = {}
  #longName: string | undefined
  #longLink: string | undefined
  /** The entry being read, for error messages. */
  current: string | undefined;

  *feed(chunk: Buffer): Generator<TarEvent> {
    let offset = 0
    while (offset < chunk.length) {
      const available = chunk.length - offset
      switch (this.#state) {
        case 'eof':
          return // bytes after the end marker (record padding) mean nothing
        case 'header':
        case 'sparse-map': {
          let block: Buffer
          if (this.#fill === 0 && available >= BLOCK) {
            block = chunk.subarray(offset, offset + BLOCK)
            offset += BLOCK
          } else {
            const take = Math.min(BLOCK - this.#fill, available)
            chunk.copy(this.#block, this.#fill, offset, offset + take)
            this.#fill += take
            offset += take
            if (this.#fill < BLOCK) break
            block = this.#block
          }
          this.#fill = 0
          if (this.#state === 'sparse-map') {
            // Extension blocks of an old GNU sparse map: 21 entries, then "more follow" at 504.
            if (block[504] === 0) yield* this.#begin(this.#pending as TarHeader)
            break
          }
          yield* this.#header(block)
          break
        }
        case 'meta': {
          const take = Math.min(this.#remaining, available)
          this.#meta.push(Buffer.from(chunk.subarray(offset, offset + take)))
          this.#remaining -= take
          offset += take
          if (this.#remaining === 0) this.#endMeta()
          break
        }
        case 'data': {
          const take = Math.min(this.#remaining, available)
          yield { kind: 'data', chunk: chunk.subarray(offset, offset + take) }
          this.#remaining -= take
          offset += take
          if (this.#remaining === 0) {
            yield { kind: 'end' }
            this.#remaining = this.#padAfter
            this.#state = this.#remaining === 0 ? 'header' : 'skip'
          }
          break
        }
        case 'skip': {
          const take = Math.min(this.#remaining, available)
          this.#remaining -= take
          offset += take
          if (this.#remaining === 0) this.#state = 'header'
          break
        }
      }
    }
  }

  /** Throws when the stream stopped inside an entry; a tar without its end marker is accepted. */
  finish(): void {
    if (this.#state === 'eof' || (this.#state === 'header' && this.#fill === 0 && !this.#pending)) return
    const inside = this.current === undefined ? '' : ` inside ${this.current}`
    throw new TarFormatError(`the tar ends early${inside}`, { truncated: true })
  }

  *#header(block: Buffer): Generator<TarEvent> {
    const header = parseTarHeader(block)
    if (header === undefined) {
      this.#state = 'eof'
      return
    }
    if (META_TYPES.has(header.typeflag)) {
      if (header.size > MAX_META_BYTES) {
        throw new TarFormatError(`a ${header.size}-byte pax or long-name header; this is not a layer tar`)
      }
      this.#metaHeader = header
      this.#meta = []
      this.#remaining = header.size
      this.#state = 'meta'
      if (header.size === 0) this.#endMeta()
      return
    }
    if (header.sparseExtended) {
      this.#pending = header
      this.#state = 'sparse-map'
      return
    }
    yield* this.#begin(header)
  }

  #endMeta(): void {
    const header = this.#metaHeader as TarHeader
    const data = Buffer.concat(this.#meta)
    this.#meta = []
    const text = () => data.toString('utf8').replace(/\0+$/, '')
    if (header.typeflag === 'L') this.#longName = text()
    else if (header.typeflag === 'K') this.#longLink = text()
    else if (header.typeflag === 'g') Object.assign(this.#paxGlobal, parsePaxRecords(data))
    else Object.assign(this.#pax, parsePaxRecords(data))
    this.#remaining = padding(header.size)
    this.#state = this.#remaining === 0 ? 'header' : 'skip'
  }

  // Applies pax records and long names to a header, yields the entry, and sets up its data.
  *#begin(header: TarHeader): Generator<TarEvent> {
    this.#pending = undefined
    const pax = { ...this.#paxGlobal, ...this.#pax }
    this.#pax = {}
    const paxSparse =
      pax['GNU.sparse.major'] !== undefined ||
      pax['GNU.sparse.realsize'] !== undefined ||
      pax['GNU.sparse.size'] !== undefined ||
      pax['GNU.sparse.map'] !== undefined
    const name = (paxSparse ? pax['GNU.sparse.name'] : undefined) ?? pax.path ?? this.#longName ?? header.name
    const linkname = pax.linkpath ?? this.#longLink ?? header.linkname
    this.#longName = undefined
    this.#longLink = undefined
    const stored = paxNumber(pax.size, 'size') ?? header.size
    const data = HEADER_ONLY_TYPES.has(header.typeflag) ? 0 : stored
    const sparse = header.typeflag === 'S' || paxSparse
    const logical = sparse
      ? (header.realSize ??
        paxNumber(pax['GNU.sparse.realsize'], 'sparse size') ??
        paxNumber(pax['GNU.sparse.size'], 'sparse size') ??
        stored)
      : data
    this.current = name
    yield {
      kind: 'entry',
      header: {
        name,
        typeflag: header.typeflag,
        mode: header.mode,
        uid: paxNumber(pax.uid, 'uid') ?? header.uid,
        gid: paxNumber(pax.gid, 'gid') ?? header.gid,
        size: logical,
        linkname,
        sparse,
      },
    }
    this.#padAfter = padding(data)
    if (data === 0) {
      yield { kind: 'end' }
      this.#state = 'header'
      return
    }
    this.#remaining = data
    this.#state = 'data'
  }
}
