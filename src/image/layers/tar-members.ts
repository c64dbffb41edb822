import { createReadStream } from 'node:fs'
import type { FileHandle } from 'node:fs/promises'
import { open } from 'node:fs/promises'
import { posix } from 'node:path'
import { entryName } from '../tar-index.ts'
import {
  BLOCK,
  HEADER_ONLY_TYPES,
  MAX_META_BYTES,
  META_TYPES,
  parsePaxRecords,
  parseTarHeader,
  TarFormatError,
} from './tar-header.ts'

/** A member of an uncompressed tar file, located so it can be read on its own. */
export interface TarMember {
  name: string
  typeflag: string
  /** Byte offset of the member's data in the file. */
  offset: number
  size: number
  linkname: string
}

async function readAt(handle: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length)
  const { bytesRead } = await handle.read(buffer, 0, length, position)
  if (bytesRead < length)
    throw new TarFormatError(`the archive ends early, at byte ${position + bytesRead}`, { truncated: true })
  return buffer
}

/**
 * Lists the members of an uncompressed tar file by reading its headers only (a seek past each
 * member's data), so an archive's layers can be read one by one without reading the rest.
 *
 * @example
 * const members = await listTarMembers('web.tar')
 * members.get('manifest.json') // { offset: 3584, size: 310, … }
 */
export async function listTarMembers(file: string): Promise<Map<string, TarMember>> {
  const members = new Map<string, TarMember>()
  const handle = await open(file, 'r')
  try {
    const { size: fileSize } = await handle.stat()
    let pax: Record<string, string> = {}
    let longName: string | undefined
    let longLink: string | undefined
    for (let position = 0; position + BLOCK <= fileSize; ) {
      const header = parseTarHeader(await readAt(handle, position, BLOCK))
      if (header === undefined) break
      const meta = META_TYPES.has(header.typeflag)
      const stored = meta ? header.size : Number(pax.size ?? header.size)
      const size = HEADER_ONLY_TYPES.has(header.typeflag) ? 0 : stored
      const dataAt = position + BLOCK
      if (!Number.isSafeInteger(size) || dataAt + size > fileSize) {
        throw new TarFormatError(`member ${header.name} runs past the end of the archive`, {
          truncated: true,
        })
      }
      position = dataAt + Math.ceil(size / BLOCK) * BLOCK
      if (meta) {
        if (size > MAX_META_BYTES) throw new TarFormatError(`a ${size}-byte pax or long-name header`)
        const data = await readAt(handle, dataAt, size)
        if (header.typeflag === 'x' || header.typeflag === 'X') pax = parsePaxRecords(data)
        if (header.typeflag === 'L') longName = data.toString('utf8').replace(/\0+$/, '')
        if (header.typeflag === 'K') longLink = data.toString('utf8').replace(/\0+$/, '')
        continue
      }
      const name = entryName(pax.path ?? longName ?? header.name)
      const linkname = pax.linkpath ?? longLink ?? header.linkname
      pax = {}
      longName = undefined
      longLink = undefined
      members.set(name, { name, typeflag: header.typeflag, offset: dataAt, size, linkname })
    }
  } finally {
    await handle.close()
  }
  return members
}

/** Follows symlinks and hard links between members (docker save links a repeated layer to its first copy). */
export function resolveMember(members: Map<string, TarMember>, name: string): TarMember | undefined {
  let member = members.get(entryName(name))
  for (let hops = 0; member && (member.typeflag === '1' || member.typeflag === '2'); hops++) {
    if (hops === 16) return undefined
    const target =
      member.typeflag === '2' ? posix.join(posix.dirname(member.name), member.linkname) : member.linkname
    member = members.get(entryName(target))
  }
  return member
}

/** A member's bytes as a stream. */
export function memberStream(file: string, member: TarMember): AsyncIterable<Buffer> {
  if (member.size === 0) return (async function* () {})()
  return createReadStream(file, {
    start: member.offset,
    end: member.offset + member.size - 1,
    highWaterMark: 1024 * 1024,
  })
}

/** Reads a small member (a manifest or config) whole. */
export async function readMember(file: string, member: TarMember, limit: number): Promise<Buffer> {
  if (member.size > limit) throw new TarFormatError(`${member.name} has ${member.size} bytes, too large`)
  const handle = await open(file, 'r')
  try {
    return await readAt(handle, member.offset, member.size)
  } finally {
    await handle.close()
  }
}
