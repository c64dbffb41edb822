import { readdir, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { execa } from 'execa'
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest'
import { fixtures } from '../../../fixtures/images.ts'
import { pushImage } from '../../../test/setup/registry.ts'
import { DEFAULT_CAPTURE } from '../capture.ts'
import type { CaptureSpec, FileIndex } from '../file-index.ts'
import { clearSnapshotCache, loadSnapshot } from '../load.ts'
import { writeDocker25Archive } from '../testdata/archives.ts'
import { caught } from '../testdata/caught.ts'
import { buildTestImage, removeTestImages, uniqueTag } from '../testdata/test-image.ts'
import { compileCapture } from './capture-matcher.ts'
import { LayerCache } from './layer-cache.ts'
import { readFileIndex } from './read-file-index.ts'
import { layersTempDir } from './testdata/layouts.ts'

// Three layers after busybox: files, devices, links and a setuid bit; then a layer that deletes a
// file, a tree, and replaces a directory (what the legacy builder writes for each is checked below).
const DOCKERFILE = `FROM scratch
COPY busybox /bin/busybox
RUN ["/bin/busybox", "--install", "-s", "/bin"]
ENV PATH=/bin
RUN mkdir -p /etc /d /gone/sub /data && echo 'root:x:0:0:root:/root:/bin/sh' > /etc/passwd \\
 && echo 'root:x:0:' > /etc/group && touch /d/old /gone/sub/f /f1 && ln /etc/passwd /etc/passwd.hard \\
 && chmod 4755 /bin/busybox && mkfifo /data/pipe && mknod /data/null c 1 3 && ln -s ../etc/passwd /data/link \\
 && chown 1000:1000 /data && chmod 1777 /data
RUN rm /f1 && rm -rf /gone && rm -rf /d && mkdir /d && touch /d/new
`

const CAPTURE: CaptureSpec = { ...DEFAULT_CAPTURE, hash: ['/bin/busybox'] }

describe('readFileIndex from every source', () => {
  const tag = uniqueTag('layers')
  const registry = inject('registryHost')
  let dir: string
  let remove: () => Promise<void>
  let engine: FileIndex
  let pushed: string

  beforeAll(async () => {
    ;({ dir, remove } = await layersTempDir())
    await buildTestImage(tag, DOCKERFILE)
    engine = await readFileIndex(await loadSnapshot(`docker-daemon:${tag}`), CAPTURE, {
      cacheDir: join(dir, 'engine-cache'),
    })
    pushed = (await pushImage(registry, tag, 'imgtest-layers/test:1')).reference
  })
  afterAll(async () => {
    await removeTestImages(tag)
    await remove()
  })

  test('the engine export gives the filesystem after whiteouts', () => {
    const get = (path: string) => engine.entries.get(path)
    expect(get('/bin/busybox')).toMatchObject({ type: 'file', mode: 0o4755, layer: 2 })
    expect(get('/bin/busybox')?.sha256).toMatch(/^sha256:[a-f0-9]{64}$/)
    expect(get('/bin/sh')).toMatchObject({ type: 'symlink', linkTarget: '/bin/busybox', layer: 1 })
    expect(get('/etc/passwd.hard')).toMatchObject({ type: 'hardlink', linkTarget: '/etc/passwd', size: 30 })
    expect(get('/data')).toMatchObject({ type: 'dir', mode: 0o1777, uid: 1000, gid: 1000 })
    expect(get('/data/pipe')?.type).toBe('fifo')
    expect(get('/data/null')?.type).toBe('char')
    expect(get('/data/link')).toMatchObject({ type: 'symlink', linkTarget: '../etc/passwd' })
    expect(get('/d/new')).toMatchObject({ type: 'file', layer: 3 })
    for (const gone of ['/f1', '/gone', '/gone/sub', '/gone/sub/f', '/d/old'])
      expect(get(gone)).toBeUndefined()
    expect(engine.contents.get('/etc/passwd')?.toString()).toBe('root:x:0:0:root:/root:/bin/sh\n')
    expect(engine.problems).toEqual([])
  })

  test('the legacy builder writes an opaque directory for a removed and recreated directory', async () => {
    const snapshot = await loadSnapshot(`docker-daemon:${tag}`)
    const last = snapshot.layers.at(-1)?.diffId as string
    const layer = await new LayerCache(join(dir, 'engine-cache')).get(last, compileCapture(CAPTURE).key)
    expect(layer?.opaqueDirs).toEqual(['/d'])
    expect(layer?.whiteouts.map((whiteout) => whiteout.path).sort()).toEqual(['/f1', '/gone'])
  })

  test('docker save archives (legacy and Docker 25+ layouts, plain and gzip, two images in one), OCI layouts (plain, gzip, zstd), an OCI archive and a registry give the same index', async () => {
    const archive = join(dir, 'saved.tar')
    await execa('docker', ['save', '-o', archive, tag])
    await execa('sh', ['-c', `gzip -c ${archive} > ${archive}.gz`])
    // Two images in one archive (the reader picks one), and the OCI layout Docker 25+ saves.
    const both = join(dir, 'both.tar')
    await execa('docker', ['save', '-o', both, tag, fixtures.busyboxBase])
    await writeDocker25Archive(tag, join(dir, 'docker25.tar'), tag)
    await execa('sh', ['-c', `gzip -c ${join(dir, 'docker25.tar')} > ${join(dir, 'docker25.tar.gz')}`])
    const refs = [
      `docker-archive:${archive}`,
      `docker-archive:${archive}.gz`,
      `docker-archive:${both}:${tag}`,
      `docker-archive:${join(dir, 'docker25.tar')}`,
      `docker-archive:${join(dir, 'docker25.tar.gz')}`,
      `docker://${pushed}`,
    ]
    for (const format of ['plain', 'gzip', 'zstd']) {
      const compress = format === 'plain' ? ['--preserve-digests'] : ['--dest-compress-format', format]
      await execa('skopeo', ['copy', '-q', ...compress, `docker-daemon:${tag}`, `oci:${join(dir, format)}:x`])
      refs.push(`oci:${join(dir, format)}:x`)
    }
    await execa('skopeo', ['copy', '-q', `docker-daemon:${tag}`, `oci-archive:${join(dir, 'oci.tar')}:x`])
    refs.push(`oci-archive:${join(dir, 'oci.tar')}:x`)
    for (const ref of refs) {
      // A fresh cache for each source, so each one really reads its layers.
      const cacheDir = join(dir, `cache-${refs.indexOf(ref)}`)
      const index = await readFileIndex(await loadSnapshot(ref), CAPTURE, { cacheDir })
      expect(index.diffIds, ref).toEqual(engine.diffIds)
      expect(index.entries, ref).toEqual(engine.entries)
      expect(index.contents, ref).toEqual(engine.contents)
      expect(index.problems, ref).toEqual([])
    }
  })

  test('a second read is served from the cache: it works with the archive deleted', async () => {
    const archive = join(dir, 'deleted.tar')
    await execa('docker', ['save', '-o', archive, tag])
    const cacheDir = join(dir, 'cache-deleted')
    const snapshot = await loadSnapshot(`docker-archive:${archive}`)
    const first = await readFileIndex(snapshot, CAPTURE, { cacheDir })
    await rm(archive)
    expect(await readFileIndex(snapshot, CAPTURE, { cacheDir })).toEqual(first)
    // Another capture spec is another cache entry: without the archive it cannot be read.
    const other = await caught(() => readFileIndex(snapshot, { ...CAPTURE, hash: [] }, { cacheDir }))
    expect(other.code).toBe('IMGTEST_IMAGE_NOT_FOUND')
    expect(other.message).toContain(archive)
  })

  test('a second read of an engine image does not ask the engine: it works with the image removed', async () => {
    const copy = uniqueTag('layers-removed')
    await buildTestImage(copy, `${DOCKERFILE}LABEL copy=${copy}\n`)
    const cacheDir = join(dir, 'cache-removed')
    const snapshot = await loadSnapshot(`docker-daemon:${copy}`)
    const first = await readFileIndex(snapshot, CAPTURE, { cacheDir })
    await removeTestImages(copy)
    clearSnapshotCache()
    expect(await readFileIndex(snapshot, CAPTURE, { cacheDir })).toEqual(first)
    const again = await caught(() => readFileIndex(snapshot, CAPTURE, { cacheDir: join(dir, 'cache-empty') }))
    expect(again.code).toBe('IMGTEST_IMAGE_NOT_FOUND')
  })

  test('a corrupt cache file is ignored and rewritten', async () => {
    const cacheDir = join(dir, 'cache-corrupt')
    const snapshot = await loadSnapshot(`docker-daemon:${tag}`)
    await readFileIndex(snapshot, CAPTURE, { cacheDir })
    const cache = new LayerCache(cacheDir)
    const files = (await readdir(cache.dir)).filter((name) => name.endsWith('.json.gz'))
    expect(files.length).toBe(snapshot.layers.length)
    const key = compileCapture(CAPTURE).key
    const damaged = snapshot.layers.map((layer, position) => {
      const file = cache.file(layer.diffId, key)
      // Garbage, a truncated gzip, and valid gzip of the wrong JSON: all must read as misses.
      return { file, diffId: layer.diffId, position }
    })
    const valid = await import('node:zlib').then((zlib) => zlib.gzipSync('{"version":1,"diffId":"x"}'))
    for (const { file, position } of damaged) {
      await writeFile(
        file,
        position % 3 === 0 ? 'garbage' : position % 3 === 1 ? valid.subarray(0, 5) : valid,
      )
      expect(await cache.get(damaged[position]?.diffId as string, key)).toBeUndefined()
    }
    expect(await readFileIndex(snapshot, CAPTURE, { cacheDir })).toEqual(engine)
    for (const { diffId } of damaged) expect(await cache.get(diffId, key)).toBeDefined()
    expect((await readdir(cache.dir)).filter((name) => name.endsWith('.tmp'))).toEqual([])
  })

  test('an unreachable engine is the engine source’s error', async () => {
    const snapshot = await loadSnapshot(`docker-daemon:${tag}`)
    const saved = process.env.DOCKER_HOST
    process.env.DOCKER_HOST = `unix://${join(dir, 'no-engine.sock')}`
    try {
      const error = await caught(() =>
        readFileIndex(snapshot, CAPTURE, { cacheDir: join(dir, 'cache-none') }),
      )
      expect(error.code).toBe('IMGTEST_DAEMON_UNREACHABLE')
      expect(error.message).toContain('no-engine.sock')
    } finally {
      if (saved === undefined) delete process.env.DOCKER_HOST
      else process.env.DOCKER_HOST = saved
    }
  })
})

describe('readFileIndex on the Debian fixtures', () => {
  test('the engine and a docker save archive agree, and package databases are captured', async () => {
    const { dir, remove } = await layersTempDir()
    try {
      const image = 'imgtest-fixture/debian-rebuilt:12'
      const engine = await readFileIndex(await loadSnapshot(`docker-daemon:${image}`), DEFAULT_CAPTURE, {
        cacheDir: join(dir, 'a'),
      })
      await execa('docker', ['save', '-o', join(dir, 'debian.tar'), image])
      const saved = await readFileIndex(
        await loadSnapshot(`docker-archive:${join(dir, 'debian.tar')}`),
        DEFAULT_CAPTURE,
        {
          cacheDir: join(dir, 'b'),
        },
      )
      expect(saved.entries).toEqual(engine.entries)
      expect(engine.entries.size).toBeGreaterThan(3000)
      expect(engine.contents.get('/var/lib/dpkg/status')?.toString()).toContain('Package: dpkg')
      expect(engine.entries.get('/usr/bin/env')?.type).toBe('file')
      const { stdout } = await execa('docker', [
        'run',
        '--rm',
        '--label',
        'dev.imgtest=1',
        '--entrypoint',
        'cat',
        image,
        '/etc/passwd',
      ])
      expect(engine.contents.get('/etc/passwd')?.toString().trim()).toBe(stdout.trim())
    } finally {
      await remove()
    }
  })
})
