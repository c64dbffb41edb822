import { randomBytes } from 'node:crypto'
import { access, mkdir, readdir, readFile, rm, truncate, writeFile } from 'node:fs/promises'
import { join, relative } from 'node:path'
import { gzipSync } from 'node:zlib'
import { execa } from 'execa'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { DEFAULT_CAPTURE } from '../capture.ts'
import type { FileIndex } from '../file-index.ts'
import { loadSnapshot } from '../load.ts'
import { caught } from '../testdata/caught.ts'
import { readFileIndex } from './read-file-index.ts'
import {
  layersTempDir,
  packLayer,
  patchHeader,
  writeLegacyArchive,
  writeOciArchive,
  writeOciLayout,
} from './testdata/layouts.ts'

const TEN_GIB = 10 * 1024 ** 3
// Unique names, so a write through a link or an escaping path would show up on the host.
const token = randomBytes(6).toString('hex')

/** A layer GNU tar writes with a 10 GiB sparse file at /etc/passwd (a captured path): a few KB stored. */
async function sparseLayer(dir: string): Promise<Buffer> {
  const root = join(dir, 'sparse-root')
  await mkdir(join(root, 'etc'), { recursive: true })
  await writeFile(join(root, 'etc', 'passwd'), 'root:x:0:0::/root:/bin/sh\n')
  await truncate(join(root, 'etc', 'passwd'), TEN_GIB)
  const { stdout } = await execa('tar', ['-C', root, '--sparse', '--format=posix', '-cf', '-', 'etc'], {
    encoding: 'buffer',
  })
  return Buffer.from(stdout)
}

/** The hostile layers: escapes, loops, links to nowhere, whiteouts of nothing, odd entry types. */
async function hostileLayers(dir: string): Promise<Buffer[]> {
  const escapes = await packLayer([
    { name: `../../../../tmp/escape-${token}`, content: 'climbed' },
    { name: `/abs-${token}/file`, content: 'absolute' },
    { name: 'a/../../b', content: 'b' },
    { name: 'loop/a', linkname: 'b' },
    { name: 'loop/b', linkname: 'a' },
    { name: 'self', linkname: 'self' },
    { name: 'evil', linkname: '/tmp' },
    { name: 'up', linkname: '../../../..' },
    { name: 'escaped-link', type: 'link', linkname: `../../tmp/escape-${token}` },
    { name: 'dangling-link', type: 'link', linkname: 'nowhere' },
    { name: '.wh.ghost', content: '' },
  ])
  // Through the symlinks of the layer below: a runtime would write these on the host if it followed them.
  const through = await packLayer([
    { name: `evil/pwned-${token}`, content: 'through a symlink' },
    { name: `up/tmp/pwned-${token}`, content: 'through ../..' },
  ])
  const odd = patchHeader(await packLayer([{ name: 'volume-label', content: '' }]), 'volume-label', {
    typeflag: 'V',
  })
  return [await sparseLayer(dir), escapes, through, odd]
}

/** Every file under a directory, relative to it. */
async function filesUnder(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true })
  return entries
    .filter((entry) => !entry.isDirectory())
    .map((entry) => relative(root, join(entry.parentPath, entry.name)))
    .sort()
}

describe('hostile layers', () => {
  let dir: string
  let remove: () => Promise<void>
  let layers: Buffer[]

  beforeAll(async () => {
    ;({ dir, remove } = await layersTempDir())
    layers = await hostileLayers(dir)
  })
  afterAll(() => remove())

  function expectHostileIndex(index: FileIndex) {
    const get = (path: string) => index.entries.get(path)
    expect(get('/etc/passwd')).toMatchObject({ type: 'file', size: TEN_GIB, layer: 0 })
    expect(index.contents.has('/etc/passwd')).toBe(false) // sparse: never captured
    expect(get(`/tmp/escape-${token}`)).toMatchObject({ type: 'file', size: 7 })
    expect(get(`/abs-${token}/file`)?.type).toBe('file')
    expect(get('/b')?.type).toBe('file')
    expect(get('/loop/a')).toMatchObject({ type: 'symlink', linkTarget: 'b' })
    expect(get('/self')).toMatchObject({ type: 'symlink', linkTarget: 'self' })
    expect(get('/escaped-link')).toMatchObject({
      type: 'hardlink',
      linkTarget: `/tmp/escape-${token}`,
      size: 7,
    })
    expect(get(`/evil/pwned-${token}`)?.type).toBe('file')
    expect(get(`/up/tmp/pwned-${token}`)?.type).toBe('file')
    expect(get('/volume-label')).toBeUndefined()
    expect(index.problems.map(({ layer, kind, path }) => ({ layer, kind, path }))).toEqual([
      { layer: 1, kind: 'path-escape', path: `../../../../tmp/escape-${token}` },
      { layer: 1, kind: 'path-escape', path: `/abs-${token}/file` },
      { layer: 1, kind: 'path-escape', path: 'a/../../b' },
      { layer: 1, kind: 'path-escape', path: 'escaped-link' },
      { layer: 1, kind: 'whiteout-missing', path: '.wh.ghost' },
      { layer: 1, kind: 'hardlink-missing', path: 'dangling-link' },
      { layer: 3, kind: 'unsupported-entry', path: 'volume-label' },
    ])
    for (const problem of index.problems) expect(problem.message).not.toContain('\n')
  }

  test('an OCI layout, an OCI archive and a docker save archive of them give the same problems, not errors', async () => {
    const layout = join(dir, 'layout')
    const refs = [
      await writeOciLayout(layout, layers, { compression: ['gzip', 'zstd', 'none', 'gzip'] }),
      await writeOciArchive(layout, join(dir, 'hostile-oci.tar')),
      await writeLegacyArchive(join(dir, 'hostile.tar'), layers),
    ]
    const before = process.resourceUsage().maxRSS
    for (const ref of refs) {
      expectHostileIndex(
        await readFileIndex(await loadSnapshot(ref), DEFAULT_CAPTURE, {
          cacheDir: join(dir, ref.split(':')[0] as string),
        }),
      )
    }
    // A 10 GiB logical file was indexed three times; the process never came near holding it.
    expect(process.resourceUsage().maxRSS - before).toBeLessThan(256 * 1024)
  })

  test('nothing is written outside the cache dir, whatever the layers say', async () => {
    const tree = join(dir, 'tree')
    const layout = join(tree, 'layout')
    await mkdir(join(tree, 'work'), { recursive: true })
    await mkdir(join(tree, 'home'), { recursive: true })
    await mkdir(join(tree, 'tmp'), { recursive: true })
    const ref = await writeOciLayout(layout, layers)
    const before = await filesUnder(tree)
    // A child process with its own cwd, HOME and TMPDIR inside the tree, the cache dir from the environment.
    const script = `
      import { loadSnapshot } from ${JSON.stringify(new URL('../load.ts', import.meta.url).pathname)}
      import { readFileIndex } from ${JSON.stringify(new URL('./read-file-index.ts', import.meta.url).pathname)}
      const index = await readFileIndex(await loadSnapshot(${JSON.stringify(ref)}))
      console.log(index.entries.size, index.problems.length)
    `
    const { stdout } = await execa('node', ['--input-type=module', '-e', script], {
      cwd: join(tree, 'work'),
      env: { IMGTEST_CACHE_DIR: join(tree, 'cache'), HOME: join(tree, 'home'), TMPDIR: join(tree, 'tmp') },
      extendEnv: true,
    })
    expect(stdout.split(' ').map(Number)[1]).toBe(7)
    const written = (await filesUnder(tree)).filter((file) => !before.includes(file))
    expect(written.length).toBe(layers.length)
    for (const file of written) expect(file).toMatch(/^cache\/layers-v1\/[a-f0-9]{64}\.json\.gz$/)
    for (const path of [`/tmp/escape-${token}`, `/tmp/pwned-${token}`, `/abs-${token}`]) {
      await expect(access(path)).rejects.toThrow(/ENOENT/)
    }
  })

  test('a layer whose header claims more data than it has is a bad archive naming image and layer', async () => {
    const huge = patchHeader(await packLayer([{ name: 'huge', content: 'tiny' }]), 'huge', {
      size: 0o77777777777,
    })
    const ref = await writeOciLayout(join(dir, 'huge'), [
      await packLayer([{ name: 'ok', content: 'ok' }]),
      huge,
    ])
    const error = await caught(async () =>
      readFileIndex(await loadSnapshot(ref), DEFAULT_CAPTURE, { cacheDir: join(dir, 'cache-huge') }),
    )
    expect(error.code).toBe('IMGTEST_BAD_ARCHIVE')
    expect(error.message).toMatch(
      new RegExp(`^${ref}: layer 2/2 \\(sha256:[a-f0-9]{12}\\) is truncated \\(at huge\\)`),
    )
  })

  test('a truncated gzip blob, a blob removed after the snapshot, and a config that lies about diff ids', async () => {
    const layer = await packLayer([{ name: 'file', content: randomBytes(100_000) }])
    const cacheDir = join(dir, 'cache-broken')
    // The blob is cut after the snapshot was read (the snapshot checks blob sizes).
    const truncated = await writeOciLayout(join(dir, 'cut'), [layer])
    const cutSnapshot = await loadSnapshot(truncated)
    const blob = join(dir, 'cut', 'blobs', 'sha256', (cutSnapshot.layers[0]?.digest ?? '').slice(7))
    await writeFile(blob, gzipSync(layer).subarray(0, 50_000))
    const error = await caught(() => readFileIndex(cutSnapshot, DEFAULT_CAPTURE, { cacheDir }))
    expect(error.code).toBe('IMGTEST_BAD_ARCHIVE')
    expect(error.message).toMatch(/layer 1\/1 \(sha256:[a-f0-9]{12}\) is truncated/)

    const removed = await writeOciLayout(join(dir, 'removed'), [layer])
    const snapshot = await loadSnapshot(removed)
    await rm(join(dir, 'removed', 'blobs', 'sha256', (snapshot.layers[0]?.digest ?? '').slice(7)))
    const missing = await caught(() => readFileIndex(snapshot, DEFAULT_CAPTURE, { cacheDir }))
    expect(missing.message).toMatch(/layer 1\/1 \(sha256:[a-f0-9]{12}\) is missing/)

    const other = `sha256:${'0'.repeat(64)}`
    const lying = await writeLegacyArchive(join(dir, 'lying.tar'), [layer], { diffIds: [other] })
    const mismatch = await caught(async () =>
      readFileIndex(await loadSnapshot(lying), DEFAULT_CAPTURE, { cacheDir }),
    )
    expect(mismatch.code).toBe('IMGTEST_BAD_ARCHIVE')
    expect(mismatch.message).toContain(`layer 1/1 (sha256:000000000000) hashes to sha256:`)
    // Nothing was cached for the layer that did not verify.
    expect(await filesUnder(cacheDir).catch(() => [])).toEqual([])
  })

  test('a docker save archive damaged or cut short after its snapshot was read is a bad archive', async () => {
    const file = join(dir, 'short.tar')
    await writeLegacyArchive(file, [await packLayer([{ name: 'file', content: 'x'.repeat(100_000) }])])
    const snapshot = await loadSnapshot(`docker-archive:${file}`)
    const bytes = await readFile(file)
    const cacheDir = join(dir, 'cache-short')
    // Zeroed data inside the layer: the archive still lists it, the layer no longer hashes to its diff id.
    await writeFile(file, Buffer.from(bytes).fill(0, 1024 + 50_000, 1024 + 100_000))
    const damaged = await caught(() => readFileIndex(snapshot, DEFAULT_CAPTURE, { cacheDir }))
    expect(damaged.code).toBe('IMGTEST_BAD_ARCHIVE')
    expect(damaged.message).toMatch(/layer 1\/1 \(sha256:[a-f0-9]{12}\) hashes to/)
    // Cut in the middle of the layer: the archive's own members run past its end.
    await writeFile(file, bytes.subarray(0, 1024 + 50_000))
    const cut = await caught(() => readFileIndex(snapshot, DEFAULT_CAPTURE, { cacheDir }))
    expect(cut.code).toBe('IMGTEST_BAD_ARCHIVE')
    expect(cut.message).toContain(`archive ${file} is truncated`)
  })
})
