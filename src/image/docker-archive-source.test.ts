import { copyFile, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { ImgtestError } from '../errors.ts'
import { parseArchiveManifest, readDockerArchive, selectArchiveImage } from './docker-archive-source.ts'
import { parseDockerReference } from './docker-reference.ts'
import { dockerSave, skopeoCopy, tempDir, truncateCopy, writeTar } from './testdata/archives.ts'
import { caught } from './testdata/caught.ts'
import { buildTestImage, removeTestImages, uniqueTag } from './testdata/test-image.ts'

const IMAGES = [
  { Config: 'a.json', RepoTags: ['example/web:1', 'example/web:latest'], Layers: ['l1/layer.tar'] },
  { Config: 'b.json', RepoTags: ['localhost:5000/web-hardened:1'], Layers: [] },
  { Config: 'c.json', RepoTags: [], Layers: [] },
]

describe('selectArchiveImage', () => {
  test('the only image needs no name', () => {
    expect(selectArchiveImage(IMAGES.slice(0, 1), {}, 'x.tar')).toBe(IMAGES[0])
  })

  test.each([
    ['example/web:1', 'a.json'],
    ['docker.io/example/web', 'a.json'],
    ['localhost:5000/web-hardened:1', 'b.json'],
  ])('by reference %s', (reference, config) => {
    expect(selectArchiveImage(IMAGES, { reference: parseDockerReference(reference) }, 'x.tar').Config).toBe(
      config,
    )
  })

  test('by index', () => {
    expect(selectArchiveImage(IMAGES, { sourceIndex: 2 }, 'x.tar').Config).toBe('c.json')
  })

  test('several images and none named: an error listing the tags', async () => {
    const error = await caught(() => selectArchiveImage(IMAGES, {}, 'x.tar'))
    expect(error.code).toBe('IMGTEST_BAD_ARCHIVE')
    expect(error.message).toBe(
      'x.tar: it holds 3 images (example/web:1, example/web:latest, localhost:5000/web-hardened:1); name one after the path, as in docker-archive:x.tar:example/web:1',
    )
  })

  test('a tag the archive does not have', async () => {
    const error = await caught(() =>
      selectArchiveImage(IMAGES, { reference: parseDockerReference('web:2') }, 'x.tar'),
    )
    expect(error.code).toBe('IMGTEST_IMAGE_NOT_FOUND')
    expect(error.message).toBe(
      'x.tar has no image tagged web:2; it has example/web:1, example/web:latest, localhost:5000/web-hardened:1',
    )
  })

  test('an index past the end', async () => {
    const error = await caught(() => selectArchiveImage(IMAGES, { sourceIndex: 3 }, 'x.tar'))
    expect(error.message).toBe('x.tar has no image @3; it holds 3 (@0 to @2)')
  })
})

describe('parseArchiveManifest', () => {
  test.each([
    ['{', /x.tar: manifest.json is not valid JSON/],
    ['{}', /x.tar: manifest.json is not a list of images/],
    ['[{"RepoTags":[]}]', /x.tar: manifest.json entry 0 has no Config path or Layers list/],
    ['[{"Config":"a.json","Layers":[1]}]', /entry 0 has no Config path or Layers list/],
  ])('rejects %s', async (text, message) => {
    const error = await caught(() => parseArchiveManifest(Buffer.from(text), 'x.tar'))
    expect(error.code).toBe('IMGTEST_BAD_ARCHIVE')
    expect(error.message).toMatch(message)
  })

  test('an image without RepoTags (saved by id) has none', () => {
    expect(
      parseArchiveManifest(Buffer.from('[{"Config":"a.json","RepoTags":null,"Layers":[]}]'), 'x'),
    ).toEqual([{ Config: 'a.json', RepoTags: [], Layers: [] }])
  })
})

describe('readDockerArchive', () => {
  const web = uniqueTag('archive-web')
  const small = uniqueTag('archive-small')
  let dir = ''
  let removeDir = async () => {}
  let saved = ''
  const ids: Record<string, string> = {}

  beforeAll(async () => {
    ;({ dir, remove: removeDir } = await tempDir())
    ids[web] = await buildTestImage(web)
    ids[small] = await buildTestImage(
      small,
      'FROM scratch\nCOPY busybox /bin/busybox\nCMD ["/bin/busybox"]\n',
    )
    saved = join(dir, 'web.tar')
    await dockerSave(saved, web)
  })
  afterAll(async () => {
    await removeTestImages(web, small)
    await removeDir()
  })

  test('two images in one archive: chosen by tag or index, error without either', async () => {
    const file = join(dir, 'both.tar')
    await dockerSave(file, web, small)
    const byTag = await readDockerArchive(file, `docker-archive:${file}:${small}`, {
      reference: parseDockerReference(small),
    })
    expect(byTag.digest).toBe(ids[small])
    // The legacy builder gives FROM scratch images Docker's default PATH.
    expect(byTag.config).toEqual({
      Cmd: ['/bin/busybox'],
      Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
      Labels: { 'dev.imgtest': '1' },
    })
    const byIndex = await Promise.all([0, 1].map((n) => readDockerArchive(file, file, { sourceIndex: n })))
    expect(byIndex.map((snapshot) => snapshot.digest).sort()).toEqual([ids[web], ids[small]].sort())
    const error = await caught(() => readDockerArchive(file, `docker-archive:${file}`))
    expect(error.code).toBe('IMGTEST_BAD_ARCHIVE')
    expect(error.message).toContain(`it holds 2 images (`)
    expect(error.message).toContain(web)
    expect(error.message).toContain(small)
  })

  test('a gzip-compressed archive reads the same', async () => {
    const file = join(dir, 'web.tar.gz')
    await writeFile(file, gzipSync(await readFile(saved)))
    const snapshot = await readDockerArchive(file, `docker-archive:${file}`)
    expect(snapshot.digest).toBe(ids[web])
    expect(snapshot).toEqual({ ...(await readDockerArchive(saved, `docker-archive:${file}`)) })
  })

  test('identical layers saved once and linked are resolved to the stored copy', async () => {
    const file = join(dir, 'linked.tar')
    const config = JSON.stringify({
      os: 'linux',
      architecture: 'amd64',
      rootfs: { diff_ids: ['sha256:a', 'sha256:a'] },
    })
    await writeTar(file, [
      { name: 'cfg.json', content: config },
      { name: 'one/layer.tar', content: Buffer.alloc(1024) },
      { name: 'two/layer.tar', linkname: '../one/layer.tar' },
      {
        name: 'manifest.json',
        content: JSON.stringify([
          { Config: 'cfg.json', RepoTags: null, Layers: ['one/layer.tar', 'two/layer.tar'] },
        ]),
      },
    ])
    const snapshot = await readDockerArchive(file, file)
    expect(snapshot.layers.map((layer) => layer.size)).toEqual([1024, 1024])
    expect(snapshot.size).toBe(2048)
  })

  test('gzip and zstd layers are reported as compressed', async () => {
    const file = join(dir, 'compressed.tar')
    const config = JSON.stringify({
      os: 'linux',
      architecture: 'amd64',
      rootfs: { diff_ids: ['sha256:a', 'sha256:b', 'sha256:c'] },
    })
    await writeTar(file, [
      { name: 'cfg.json', content: config },
      { name: 'g.tar.gz', content: gzipSync(Buffer.alloc(512)) },
      { name: 'z.tar.zst', content: Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0, 0, 0, 0]) },
      { name: 'p.tar', content: Buffer.alloc(512) },
      {
        name: 'manifest.json',
        content: JSON.stringify([{ Config: 'cfg.json', Layers: ['g.tar.gz', 'z.tar.zst', 'p.tar'] }]),
      },
    ])
    const snapshot = await readDockerArchive(file, file)
    expect(snapshot.layers.map((layer) => layer.compressed)).toEqual([true, true, false])
    expect(snapshot.sizeBasis).toBe('compressed')
  })

  test('a truncated archive (docker save output cut in half) is IMGTEST_BAD_ARCHIVE', async () => {
    const file = join(dir, 'truncated.tar')
    await truncateCopy(saved, file, 0.5)
    const error = await caught(() => readDockerArchive(file, `docker-archive:${file}`))
    expect(error.code).toBe('IMGTEST_BAD_ARCHIVE')
    expect(error.message).toMatch(
      new RegExp(`^archive ${file} is truncated \\(it ends inside [^)]+/layer.tar\\); write it again`),
    )
  })

  test('an archive cut between entries misses what it lists', async () => {
    const file = join(dir, 'cut.tar')
    await writeTar(file, [
      { name: 'cfg.json', content: JSON.stringify({ rootfs: { diff_ids: ['sha256:a'] } }) },
      { name: 'manifest.json', content: JSON.stringify([{ Config: 'cfg.json', Layers: ['l/layer.tar'] }]) },
    ])
    const error = await caught(() => readDockerArchive(file, file))
    expect(error.message).toBe(
      `${file}: layer l/layer.tar listed in manifest.json is missing; the archive is incomplete or truncated`,
    )
  })

  test('a tar without manifest.json is IMGTEST_BAD_ARCHIVE', async () => {
    const file = join(dir, 'no-manifest.tar')
    await writeTar(file, [{ name: 'hello.txt', content: 'hi' }])
    const error = await caught(() => readDockerArchive(file, `docker-archive:${file}`))
    expect(error.code).toBe('IMGTEST_BAD_ARCHIVE')
    expect(error.message).toBe(
      `${file}: no manifest.json, so it is not a docker save archive; write it with docker save`,
    )
  })

  test('an OCI archive read as docker-archive points at oci-archive:', async () => {
    const file = join(dir, 'oci.tar')
    await skopeoCopy(`docker-daemon:${small}`, `oci-archive:${file}`)
    const error = await caught(() => readDockerArchive(file, `docker-archive:${file}`))
    expect(error.message).toMatch(/it has an index.json: read it as oci-archive:/)
  })

  test('a config blob missing from the archive', async () => {
    const file = join(dir, 'no-config.tar')
    await writeTar(file, [
      { name: 'manifest.json', content: JSON.stringify([{ Config: 'gone.json', Layers: [] }]) },
    ])
    const error = await caught(() => readDockerArchive(file, file))
    expect(error.code).toBe('IMGTEST_BAD_ARCHIVE')
    expect(error.message).toBe(`${file}: config gone.json listed in manifest.json is missing`)
  })

  test.each([
    ['manifest.json', '[{"Config":', /manifest.json is not valid JSON/],
    ['cfg.json', '{"rootfs": ', /config cfg.json is not valid JSON/],
  ])('invalid JSON in %s', async (name, broken, message) => {
    const file = join(dir, `bad-${name}.tar`)
    const good: Record<string, string> = {
      'cfg.json': JSON.stringify({ rootfs: { diff_ids: [] } }),
      'manifest.json': JSON.stringify([{ Config: 'cfg.json', Layers: [] }]),
    }
    good[name] = broken
    await writeTar(
      file,
      Object.entries(good).map(([entry, content]) => ({ name: entry, content })),
    )
    const error = await caught(() => readDockerArchive(file, file))
    expect(error.code).toBe('IMGTEST_BAD_ARCHIVE')
    expect(error.message).toMatch(message)
    expect(error.message).toContain(file)
  })

  test('layers and diff ids that do not pair up', async () => {
    const file = join(dir, 'unpaired.tar')
    await writeTar(file, [
      { name: 'cfg.json', content: JSON.stringify({ rootfs: { diff_ids: ['sha256:a', 'sha256:b'] } }) },
      { name: 'manifest.json', content: JSON.stringify([{ Config: 'cfg.json', Layers: [] }]) },
    ])
    const error = await caught(() => readDockerArchive(file, file))
    expect(error.message).toBe(`${file}: manifest.json lists 0 layers but the config has 2 diff ids`)
  })

  test('a file that is not a tar at all', async () => {
    const file = join(dir, 'text.tar')
    await writeFile(file, 'this is not a tar archive, only some text that is long enough. '.repeat(20))
    const error = await caught(() => readDockerArchive(file, file))
    expect(error.code).toBe('IMGTEST_BAD_ARCHIVE')
    expect(error.message).toMatch(new RegExp(`^${file} is not a tar archive`))
  })

  test('a missing file is IMGTEST_IMAGE_NOT_FOUND', async () => {
    const file = join(dir, 'nope.tar')
    const error = await caught(() => readDockerArchive(file, `docker-archive:${file}`))
    expect(error.code).toBe('IMGTEST_IMAGE_NOT_FOUND')
    expect(error.message).toBe(`archive ${file} does not exist; check the path`)
  })

  test('a directory is not an archive', async () => {
    const error = await caught(() => readDockerArchive(dir, `docker-archive:${dir}`))
    expect(error.code).toBe('IMGTEST_BAD_ARCHIVE')
    expect(error.message).toMatch(/is a directory, not a tar archive; for an OCI layout directory write oci:/)
  })

  test('the saved archive is read without copying it anywhere', async () => {
    const copy = join(dir, 'copy.tar')
    await copyFile(saved, copy)
    const snapshot = await readDockerArchive(copy, copy)
    expect(snapshot.ref).toBe(copy)
    expect(snapshot.digest).toBe(ids[web])
  })
})
