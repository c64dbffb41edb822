import { createReadStream } from 'node:fs'
import { open } from 'node:fs/promises'
import { posix } from 'node:path'
import { pipeline } from 'node:stream/promises'
import { createGunzip } from 'node:zlib'
import tar from 'tar-stream'
import { ImgtestError } from '../errors.ts'

/** One entry of an image archive. Only small JSON files keep their bytes; layers keep their size and first bytes. */
export interface TarEntry {
  name: string
  type: string
  size: number
  linkname?: string
  /** The first bytes of a file, to tell gzip or zstd layers from plain tars without reading them. */
  magic?: Buffer
  /** Whole content, for small files that look like JSON (manifests, index, configs). */
  data?: Buffer
}

export interface TarIndex {
  /** The archive path, as errors name it. */
  file: string
  entries: Map<string, TarEntry>
}

// Config blobs are a few KB (rarely past 1 MB with long histories); anything larger is a layer.
const MAX_JSON_BYTES = 8 * 1024 * 1024
// Bounds memory on an archive crafted to be all JSON.
const MAX_KEPT_BYTES = 128 * 1024 * 1024
const MAGIC_BYTES = 4

/** `./index.json` and `index.json` are the same entry; directories lose their trailing slash. */
export function entryName(name: string): string {
  return posix
    .normalize(name)
    .replace(/^(\.\/)+/, '')
    .replace(/\/+$/, '')
}

function looksLikeJson(chunk: Buffer): boolean {
  for (const byte of chunk) {
    if (byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09) continue
    return byte === 0x7b || byte === 0x5b // { or [
  }
  return true
}

async function isGzip(file: string): Promise<boolean> {
  const handle = await open(file, 'r')
  try {
    const { bytesRead, buffer } = await handle.read(Buffer.alloc(2), 0, 2, 0)
    return bytesRead === 2 && buffer[0] === 0x1f && buffer[1] === 0x8b
  } finally {
    await handle.close()
  }
}

/** Turns a failure to open or read the archive into one clear line. */
function archiveError(file: string, error: unknown, current: string | undefined): ImgtestError {
  const code = (error as { code?: string }).code
  if (code === 'ENOENT') {
    return new ImgtestError('IMGTEST_IMAGE_NOT_FOUND', `archive ${file} does not exist; check the path`, {
      cause: error,
    })
  }
  if (code === 'EISDIR') {
    return new ImgtestError(
      'IMGTEST_BAD_ARCHIVE',
      `${file} is a directory, not a tar archive; for an OCI layout directory write oci:${file}`,
      { cause: error },
    )
  }
  const message = (error as Error).message ?? String(error)
  if (message === 'Unexpected end of data' || code === 'Z_BUF_ERROR') {
    const inside = current ? ` inside ${current}` : ''
    return new ImgtestError(
      'IMGTEST_BAD_ARCHIVE',
      `archive ${file} is truncated (it ends${inside}); write it again with docker save or skopeo copy`,
      { cause: error },
    )
  }
  if (/Invalid tar header/.test(message) || /incorrect header check/.test(message)) {
    return new ImgtestError(
      'IMGTEST_BAD_ARCHIVE',
      `${file} is not a tar archive (${current ? `bad entry after ${current}` : 'bad header at the start'}); name a file written by docker save or skopeo copy`,
      { cause: error },
    )
  }
  return new ImgtestError('IMGTEST_BAD_ARCHIVE', `cannot read archive ${file}: ${message}`, { cause: error })
}

/**
 * Reads an image archive once, as a stream (gzip-compressed or plain): every entry's name, type and size,
 * the first bytes of each file, and the whole bytes of small JSON files only. Layer contents are skipped,
 * so memory stays small whatever the image size. Nothing is written to disk.
 *
 * @example
 * const index = await scanTar('web.tar')
 * const manifest = index.entries.get('manifest.json')?.data
 */
export async function scanTar(file: string): Promise<TarIndex> {
  const entries = new Map<string, TarEntry>()
  let kept = 0
  let current: string | undefined
  const extract = tar.extract()
  extract.on('entry', (header, stream, next) => {
    const name = entryName(header.name)
    current = name
    const entry: TarEntry = { name, type: header.type ?? 'file', size: header.size ?? 0 }
    if (header.linkname) entry.linkname = header.linkname
    entries.set(name, entry)
    const chunks: Buffer[] = []
    let keep = entry.type === 'file' && entry.size <= MAX_JSON_BYTES
    stream.on('data', (data: unknown) => {
      const chunk = data as Buffer
      if (!entry.magic) entry.magic = Buffer.from(chunk.subarray(0, MAGIC_BYTES))
      if (keep && chunks.length === 0 && !looksLikeJson(chunk)) keep = false
      if (keep) chunks.push(chunk)
    })
    stream.on('end', () => {
      if (keep) {
        entry.data = Buffer.concat(chunks)
        kept += entry.data.length
      }
      if (kept > MAX_KEPT_BYTES) {
        next(new Error(`more than ${MAX_KEPT_BYTES} bytes of JSON entries; this is not an image archive`))
      } else {
        next()
      }
    })
  })
  try {
    const gzip = await isGzip(file)
    const source = createReadStream(file, { highWaterMark: 1024 * 1024 })
    if (gzip) await pipeline(source, createGunzip(), extract)
    else await pipeline(source, extract)
  } catch (error) {
    throw archiveError(file, error, current)
  }
  return { file, entries }
}

/** Follows symlinks inside the archive (docker save links duplicate layers to the first copy). */
export function resolveEntry(index: TarIndex, name: string): TarEntry | undefined {
  let entry = index.entries.get(entryName(name))
  for (let hops = 0; entry && (entry.type === 'symlink' || entry.type === 'link') && hops < 16; hops++) {
    const target = entry.linkname ?? ''
    const resolved = entry.type === 'symlink' ? posix.join(posix.dirname(entry.name), target) : target
    entry = index.entries.get(entryName(resolved))
  }
  return entry && (entry.type === 'symlink' || entry.type === 'link') ? undefined : entry
}
