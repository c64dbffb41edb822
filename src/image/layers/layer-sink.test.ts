import { createHash, randomBytes } from 'node:crypto'
import { gzipSync, zstdCompressSync } from 'node:zlib'
import { describe, expect, test } from 'vitest'
import { compileCapture } from './capture-matcher.ts'
import type { LayerIndex } from './layer-index.ts'
import { compressionOf, LayerSink } from './layer-sink.ts'
import { TEST_CAPTURE } from './testdata/index-layer.ts'
import { packLayer } from './testdata/layouts.ts'

const capture = compileCapture(TEST_CAPTURE)

async function sinkAll(bytes: Buffer, step = 10_000) {
  const sink = new LayerSink(capture)
  for (let offset = 0; offset < bytes.length; offset += step)
    await sink.write(bytes.subarray(offset, offset + step))
  return sink.end()
}

describe('LayerSink', () => {
  test('plain, gzip and zstd blobs give the same index and the diff id of the plain tar', async () => {
    const tar = await packLayer([
      { name: 'etc/passwd', content: 'root:x:0:0::/root:/bin/sh\n' },
      { name: 'bin/random', content: randomBytes(300_000) },
    ])
    const diffId = `sha256:${createHash('sha256').update(tar).digest('hex')}`
    const plain = await sinkAll(tar)
    expect(plain.diffId).toBe(diffId)
    expect(plain.entries.map((entry) => entry.path)).toEqual(['/etc/passwd', '/bin/random'])
    expect(await sinkAll(gzipSync(tar))).toEqual(plain)
    expect(await sinkAll(zstdCompressSync(tar))).toEqual(plain)
    expect(await sinkAll(gzipSync(tar), 61)).toEqual(plain)
  })

  test('a cut compressed blob fails; a corrupt one fails or hashes to another diff id', async () => {
    const tar = await packLayer([{ name: 'bin/random', content: randomBytes(300_000) }])
    const diffId = `sha256:${createHash('sha256').update(tar).digest('hex')}`
    for (const blob of [gzipSync(tar), zstdCompressSync(tar)]) {
      await expect(sinkAll(blob.subarray(0, blob.length / 2))).rejects.toThrow()
      const corrupt = Buffer.from(blob)
      corrupt.fill(0xff, 1000, 2000)
      // gzip's CRC catches it; zstd without a checksum frame does not, and the diff id check does.
      const result = await sinkAll(corrupt).catch((error: unknown) => error)
      expect(result instanceof Error || (result as LayerIndex).diffId !== diffId).toBe(true)
    }
  })

  test('an empty blob is an empty layer', async () => {
    const index = await sinkAll(Buffer.alloc(0))
    expect(index.entries).toEqual([])
    expect(index.diffId).toBe(`sha256:${createHash('sha256').digest('hex')}`)
  })

  test('compressionOf reads magic numbers', () => {
    expect(compressionOf(gzipSync('x'))).toBe('gzip')
    expect(compressionOf(zstdCompressSync('x'))).toBe('zstd')
    expect(compressionOf(Buffer.from('ustar'))).toBe('none')
    expect(compressionOf(Buffer.alloc(0))).toBe('none')
  })
})
