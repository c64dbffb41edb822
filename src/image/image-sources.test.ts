import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { readDockerArchive } from './docker-archive-source.ts'
import { parseDockerReference } from './docker-reference.ts'
import { readEngineImage } from './engine-source.ts'
import { readOciArchive, readOciDirectory } from './oci-source.ts'
import type { ImageSnapshot } from './snapshot.ts'
import { dockerSave, skopeoCopy, tempDir, writeDocker25Archive } from './testdata/archives.ts'
import { buildTestImage, removeTestImages, uniqueTag } from './testdata/test-image.ts'

// One image, read from every local source: the key promise is the same digest and config everywhere.
const tag = uniqueTag('sources')
let imageId = ''
let dir = ''
let removeDir = async () => {}
let engine: ImageSnapshot

beforeAll(async () => {
  imageId = await buildTestImage(tag)
  ;({ dir, remove: removeDir } = await tempDir())
  engine = await readEngineImage(parseDockerReference(tag), tag)
})
afterAll(async () => {
  await removeTestImages(tag)
  await removeDir()
})

const steps = (snapshot: ImageSnapshot) =>
  snapshot.history.map((entry) => [entry.createdBy, entry.emptyLayer])

describe('the same image from every local source', () => {
  test('legacy docker save archive', async () => {
    const file = join(dir, 'legacy.tar')
    await dockerSave(file, tag)
    const snapshot = await readDockerArchive(file, `docker-archive:${file}`)
    expect(snapshot.source).toBe('docker-archive')
    expect(snapshot.digest).toBe(imageId)
    expect(snapshot.config).toEqual(engine.config)
    expect(snapshot.platform).toEqual(engine.platform)
    expect(snapshot.created).toBe(engine.created)
    expect(snapshot.manifestDigest).toBeUndefined()
    // The engine's history hides empty_layer; its pairing must agree with the config's own flags.
    expect(steps(engine)).toEqual(steps(snapshot))
    expect(snapshot.layers.map((layer) => layer.diffId)).toEqual(engine.layers.map((layer) => layer.diffId))
    // layer.tar sizes: the content plus tar headers and padding, so a little over the engine's sizes.
    for (const [position, layer] of snapshot.layers.entries()) {
      expect(layer.compressed).toBe(false)
      expect(layer.size % 512).toBe(0)
      expect(layer.size).toBeGreaterThan(engine.layers[position]?.size ?? Number.POSITIVE_INFINITY)
    }
    expect(snapshot.size).toBe(snapshot.layers.reduce((sum, layer) => sum + layer.size, 0))
    expect(snapshot.sizeBasis).toBe('uncompressed')
  })

  test('Docker 25+ archive (OCI layout plus manifest.json; a stand-in built here)', async () => {
    const file = join(dir, 'docker25.tar')
    const manifestDigest = await writeDocker25Archive(tag, file, tag)
    const snapshot = await readDockerArchive(file, `docker-archive:${file}:${tag}`, {
      reference: parseDockerReference(tag),
    })
    expect(snapshot.digest).toBe(imageId)
    expect(snapshot.config).toEqual(engine.config)
    expect(snapshot.manifestDigest).toBe(manifestDigest)
    expect(steps(snapshot)).toEqual(steps(engine))
    expect(snapshot.layers.map((layer) => layer.digest)).toEqual(engine.layers.map((layer) => layer.diffId))
    expect(
      snapshot.layers.every((layer) => layer.mediaType === 'application/vnd.oci.image.layer.v1.tar'),
    ).toBe(true)
    expect(snapshot.sizeBasis).toBe('uncompressed')
  })

  test('OCI layout directory and oci-archive (skopeo, Docker media types kept)', async () => {
    const layout = join(dir, 'layout')
    const archive = join(dir, 'oci.tar')
    await skopeoCopy('--format', 'v2s2', `docker-daemon:${tag}`, `oci:${layout}:v1`)
    await skopeoCopy('--format', 'v2s2', `docker-daemon:${tag}`, `oci-archive:${archive}:v1`)
    const index = JSON.parse(await readFile(join(layout, 'index.json'), 'utf8'))
    const fromDir = await readOciDirectory(layout, `oci:${layout}:v1`, { tag: 'v1' })
    const fromArchive = await readOciArchive(archive, `oci-archive:${archive}`)
    for (const snapshot of [fromDir, fromArchive]) {
      expect(snapshot.digest).toBe(imageId)
      expect(snapshot.config).toEqual(engine.config)
      expect(snapshot.platform).toEqual(engine.platform)
      expect(steps(snapshot)).toEqual(steps(engine))
      expect(snapshot.manifestDigest).toBe(index.manifests[0].digest)
      expect(snapshot.layers.map((layer) => layer.diffId)).toEqual(engine.layers.map((layer) => layer.diffId))
      expect(
        snapshot.layers.every((layer) => layer.compressed && layer.mediaType?.endsWith('.tar.gzip')),
      ).toBe(true)
      expect(snapshot.sizeBasis).toBe('compressed')
      expect(snapshot.size).toBe(snapshot.layers.reduce((sum, layer) => sum + layer.size, 0))
      // gzip makes busybox smaller than the engine's uncompressed size.
      expect(snapshot.size).toBeLessThan(engine.size)
    }
    expect(fromDir.source).toBe('oci')
    expect(fromArchive.source).toBe('oci-archive')
    expect(fromArchive.layers).toEqual(fromDir.layers)
  })

  test("skopeo's default conversion to OCI rewrites the config: another digest, Docker-only fields gone", async () => {
    const layout = join(dir, 'converted')
    await skopeoCopy(`docker-daemon:${tag}`, `oci:${layout}:v1`)
    const snapshot = await readOciDirectory(layout, `oci:${layout}`)
    expect(snapshot.digest).not.toBe(imageId)
    expect(
      snapshot.layers.every((layer) => layer.mediaType === 'application/vnd.oci.image.layer.v1.tar+gzip'),
    ).toBe(true)
    const { Healthcheck, Shell, OnBuild, ...kept } = engine.config
    expect(Healthcheck).toBeDefined()
    expect(snapshot.config).toEqual(kept)
  })
})
