import { createHash } from 'node:crypto'
import { describe, expect, test } from 'vitest'
import { ImgtestError } from '../errors.ts'
import {
  blobPath,
  isCompressedMediaType,
  type LayoutFiles,
  parseLayoutManifest,
  resolveOciImage,
  snapshotOf,
} from './oci-layout.ts'

const digestOf = (text: string) => `sha256:${createHash('sha256').update(text).digest('hex')}`

/** An in-memory layout: JSON blobs by content, layer blobs by size only. */
function memoryLayout(json: Record<string, string>, layerSizes: Record<string, number> = {}): LayoutFiles {
  const files = new Map<string, string>(Object.entries(json))
  return {
    where: 'mem',
    async read(path) {
      const text = files.get(path)
      return text === undefined ? undefined : Buffer.from(text)
    },
    async size(path) {
      return layerSizes[path] ?? files.get(path)?.length
    },
  }
}

const config = JSON.stringify({
  os: 'linux',
  architecture: 'amd64',
  config: { Cmd: ['sh'] },
  rootfs: { type: 'layers', diff_ids: ['sha256:d1', 'sha256:d2'] },
})
const layerA = `sha256:${'a'.repeat(64)}`
const layerB = `sha256:${'b'.repeat(64)}`
const manifest = JSON.stringify({
  schemaVersion: 2,
  mediaType: 'application/vnd.oci.image.manifest.v1+json',
  config: {
    mediaType: 'application/vnd.oci.image.config.v1+json',
    digest: digestOf(config),
    size: config.length,
  },
  layers: [
    { mediaType: 'application/vnd.oci.image.layer.v1.tar+zstd', digest: layerA, size: 100 },
    { mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: layerB, size: 2048 },
  ],
})
const index = (manifests: object[]) => JSON.stringify({ schemaVersion: 2, manifests })
const entry = {
  mediaType: 'application/vnd.oci.image.manifest.v1+json',
  digest: digestOf(manifest),
  size: manifest.length,
}
const blobs = {
  [blobPath(digestOf(config), 'x')]: config,
  [blobPath(digestOf(manifest), 'x')]: manifest,
}
const sizes = { [blobPath(layerA, 'x')]: 100, [blobPath(layerB, 'x')]: 2048 }
const amd64 = { os: 'linux', architecture: 'amd64' }

describe('oci layout helpers', () => {
  test('blobPath maps a digest into blobs/ and refuses anything that could leave it', () => {
    expect(blobPath(layerA, 'x')).toBe(`blobs/sha256/${'a'.repeat(64)}`)
    expect(() => blobPath('sha256:../../etc/passwd', 'x')).toThrow(
      'x: "sha256:../../etc/passwd" is not a valid digest',
    )
    expect(() => blobPath('../sha256:abc', 'x')).toThrow(ImgtestError)
  })

  test.each([
    ['application/vnd.oci.image.layer.v1.tar+gzip', true],
    ['application/vnd.oci.image.layer.v1.tar+zstd', true],
    ['application/vnd.docker.image.rootfs.diff.tar.gzip', true],
    ['application/vnd.docker.image.rootfs.foreign.diff.tar.gzip', true],
    ['application/vnd.oci.image.layer.v1.tar', false],
    [undefined, false],
  ])('%s compressed: %s', (mediaType, expected) => {
    expect(isCompressedMediaType(mediaType)).toBe(expected)
  })

  test('parseLayoutManifest tells indexes from image manifests', () => {
    expect(parseLayoutManifest(Buffer.from(manifest), 'm', 'x')).toMatchObject({
      kind: 'image',
      layers: [{}, {}],
    })
    expect(parseLayoutManifest(Buffer.from(index([entry])), 'i', 'x')).toMatchObject({ kind: 'index' })
    expect(() => parseLayoutManifest(Buffer.from('{"schemaVersion":1}'), 'm', 'x')).toThrow(
      'x: m is a schema 1 manifest; schema 1 is not supported',
    )
    expect(() => parseLayoutManifest(Buffer.from('{"layers":[]}'), 'm', 'x')).toThrow(
      'x: m is neither an image index nor an image manifest',
    )
    expect(() => parseLayoutManifest(Buffer.from(index([{ digest: layerA }])), 'i', 'x')).toThrow(
      `x: i has descriptor ${layerA} without a valid size`,
    )
  })
})

describe('resolveOciImage', () => {
  test('maps manifest, config and layers; sizes as stored, compressed by media type', async () => {
    const files = memoryLayout({ 'index.json': index([entry]), ...blobs }, sizes)
    const image = await resolveOciImage(files, { platform: amd64 })
    expect(image.manifestDigest).toBe(entry.digest)
    expect(image.config.digest).toBe(digestOf(config))
    expect(image.layers).toEqual([
      {
        diffId: 'sha256:d1',
        digest: layerA,
        mediaType: 'application/vnd.oci.image.layer.v1.tar+zstd',
        size: 100,
        compressed: true,
      },
      {
        diffId: 'sha256:d2',
        digest: layerB,
        mediaType: 'application/vnd.oci.image.layer.v1.tar',
        size: 2048,
        compressed: false,
      },
    ])
    const snapshot = snapshotOf({ ref: 'oci:mem', source: 'oci', ...image })
    expect(snapshot).toMatchObject({
      size: 2148,
      sizeBasis: 'compressed',
      config: { Cmd: ['sh'] },
      platform: amd64,
    })
  })

  test('a stored blob whose size differs from its descriptor', async () => {
    const files = memoryLayout(
      { 'index.json': index([entry]), ...blobs },
      { ...sizes, [blobPath(layerB, 'x')]: 1024 },
    )
    await expect(resolveOciImage(files, { platform: amd64 })).rejects.toThrow(
      `mem: layer blob ${layerB} has 1024 bytes, its manifest says 2048`,
    )
  })

  test('an index.json that lists nothing', async () => {
    const files = memoryLayout({ 'index.json': index([]) })
    await expect(resolveOciImage(files, { platform: amd64 })).rejects.toThrow(
      'mem: index.json lists no images',
    )
  })

  test('untagged entries with platforms are a list to choose from', async () => {
    const other = {
      ...entry,
      digest: `sha256:${'c'.repeat(64)}`,
      platform: { os: 'linux', architecture: 'arm64' },
    }
    const files = memoryLayout(
      { 'index.json': index([other, { ...entry, platform: amd64 }]), ...blobs },
      sizes,
    )
    expect((await resolveOciImage(files, { platform: amd64 })).manifestDigest).toBe(entry.digest)
    await expect(
      resolveOciImage(files, { platform: { os: 'linux', architecture: 'arm64' } }),
    ).rejects.toThrow(`mem: manifest ${other.digest} is missing; the layout is incomplete`)
  })

  test('indexes nested too deep stop', async () => {
    // A self-referencing index cannot be written (its digest would change), so nest four distinct ones.
    let inner = index([{ ...entry, platform: amd64 }])
    const nested: Record<string, string> = {}
    for (let level = 0; level < 5; level++) {
      nested[blobPath(digestOf(inner), 'x')] = inner
      inner = index([
        {
          mediaType: 'application/vnd.oci.image.index.v1+json',
          digest: digestOf(inner),
          size: inner.length,
          platform: amd64,
        },
      ])
    }
    const files = memoryLayout({ 'index.json': inner, ...nested, ...blobs }, sizes)
    await expect(resolveOciImage(files, { platform: amd64 })).rejects.toThrow(
      /image indexes nest deeper than 4 levels/,
    )
  })
})
