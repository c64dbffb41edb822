import { pipeline } from 'node:stream/promises'
import { execa } from 'execa'
import picomatch from 'picomatch'
import tar from 'tar-stream'
import { DEFAULT_CAPTURE } from '../capture.ts'
import type { FileEntry, FileIndex, FileType } from '../file-index.ts'

const TYPES: Record<string, FileType> = {
  file: 'file',
  'contiguous-file': 'file',
  directory: 'dir',
  symlink: 'symlink',
  link: 'hardlink',
  'character-device': 'char',
  'block-device': 'block',
  fifo: 'fifo',
}

function normalize(name: string): string {
  const parts = name.split('/').filter((part) => part !== '' && part !== '.')
  return `/${parts.join('/')}`
}

async function drain(stream: AsyncIterable<unknown>, keep: boolean): Promise<Buffer | undefined> {
  const chunks: Buffer[] = []
  for await (const chunk of stream) if (keep) chunks.push(chunk as Buffer)
  return keep ? Buffer.concat(chunks) : undefined
}

/**
 * A FileIndex of an image's flattened root, read from `docker export` of a created (never started)
 * container labelled dev.imgtest=1 and removed afterwards: the engine applies the layers, so tests of
 * the checks get a real index without the layer reader. Captures DEFAULT_CAPTURE's files.
 *
 * @example
 * const index = await exportIndex('imgtest-fixture/debian-upstream:12')
 */
export async function exportIndex(tag: string): Promise<FileIndex> {
  const capture = picomatch([...DEFAULT_CAPTURE.content], { dot: true })
  const { stdout } = await execa('docker', ['create', '--label', 'dev.imgtest=1', tag])
  const id = stdout.trim()
  const entries = new Map<string, FileEntry>()
  const contents = new Map<string, Buffer>()
  try {
    const extract = tar.extract()
    const exported = execa('docker', ['export', id], { buffer: false, stdout: 'pipe' })
    const reading = (async () => {
      for await (const member of extract) {
        const { header } = member
        const path = normalize(header.name)
        const type = TYPES[header.type ?? 'file']
        const keep = type === 'file' && capture(path) && (header.size ?? 0) <= DEFAULT_CAPTURE.maxContentBytes
        const content = await drain(member, keep)
        if (type === undefined) continue
        entries.set(path, {
          path,
          type,
          mode: (header.mode ?? 0) & 0o7777,
          uid: header.uid ?? 0,
          gid: header.gid ?? 0,
          size: type === 'file' ? (header.size ?? 0) : 0,
          ...(header.linkname
            ? { linkTarget: type === 'hardlink' ? normalize(header.linkname) : header.linkname }
            : {}),
          layer: 0,
        })
        if (content !== undefined) contents.set(path, content)
      }
    })()
    await Promise.all([pipeline(exported.stdout as NodeJS.ReadableStream, extract), reading, exported])
  } finally {
    await execa('docker', ['rm', '--force', id], { reject: false })
  }
  return { diffIds: [], entries, contents, problems: [] }
}
