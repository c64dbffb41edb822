import { readdir, readFile, writeFile } from 'node:fs/promises'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { compileCapture } from './capture-matcher.ts'
import { defaultCacheDir, LAYER_CACHE_LAYOUT, LayerCache } from './layer-cache.ts'
import { decodeLayerIndex, encodeLayerIndex } from './layer-codec.ts'
import { indexEntries, TEST_CAPTURE } from './testdata/index-layer.ts'
import { layersTempDir } from './testdata/layouts.ts'

describe('defaultCacheDir', () => {
  test('IMGTEST_CACHE_DIR first, then XDG_CACHE_HOME, then ~/.cache', () => {
    expect(defaultCacheDir({ IMGTEST_CACHE_DIR: '/ci/cache', XDG_CACHE_HOME: '/x' })).toBe('/ci/cache')
    expect(defaultCacheDir({ XDG_CACHE_HOME: '/var/cache/user' })).toBe('/var/cache/user/imgtest')
    // The XDG spec ignores relative paths.
    expect(defaultCacheDir({ XDG_CACHE_HOME: 'relative' })).toBe(join(homedir(), '.cache', 'imgtest'))
    expect(defaultCacheDir({})).toBe(join(homedir(), '.cache', 'imgtest'))
  })
})

describe('LayerCache', () => {
  let dir: string
  let remove: () => Promise<void>
  const capture = compileCapture(TEST_CAPTURE)
  beforeAll(async () => {
    ;({ dir, remove } = await layersTempDir())
  })
  afterAll(() => remove())

  const layer = () =>
    indexEntries([
      { name: 'etc/', type: 'directory' },
      { name: 'etc/passwd', content: 'root:x:0:0::/root:/bin/sh\n' },
      { name: 'bin/tool', content: 'tool', mode: 0o4755 },
      { name: 'bin/hard', type: 'link', linkname: 'bin/tool' },
      { name: 'lib/.wh.old', content: '' },
      { name: 'opt/.wh..wh..opq', content: '' },
      { name: '../escape', content: 'x' },
    ])

  test('an index survives the codec unchanged', async () => {
    const index = await layer()
    const json = JSON.parse(JSON.stringify(encodeLayerIndex(index, capture.key)))
    expect(decodeLayerIndex(json, index.diffId, capture.key)).toEqual(index)
  })

  test('put then get; files are named by hash under the versioned folder, no temp files left', async () => {
    const cache = new LayerCache(join(dir, 'a'))
    const index = await layer()
    await cache.put(index, capture.key)
    expect(await cache.get(index.diffId, capture.key)).toEqual(index)
    expect(await cache.get(index.diffId, compileCapture({ ...TEST_CAPTURE, hash: [] }).key)).toBeUndefined()
    const files = await readdir(join(dir, 'a', LAYER_CACHE_LAYOUT))
    expect(files).toEqual([expect.stringMatching(/^[a-f0-9]{64}\.json\.gz$/)])
  })

  test('a file of another layer or capture spec under the right name is a miss', async () => {
    const cache = new LayerCache(join(dir, 'b'))
    const index = await layer()
    await cache.put(index, capture.key)
    const other = join(dir, 'b', LAYER_CACHE_LAYOUT)
    const [name] = await readdir(other)
    // Copy the file to where another diff id's index would live.
    const stranger = `sha256:${'1'.repeat(64)}`
    await writeFile(cache.file(stranger, capture.key), await readFile(join(other, name as string)))
    expect(await cache.get(stranger, capture.key)).toBeUndefined()
  })

  test('decode rejects damaged fields', async () => {
    const index = await layer()
    const good = encodeLayerIndex(index, capture.key)
    const broken = [
      { ...good, version: 2 },
      { ...good, entries: [['relative/path', 'file', 0, 0, 0, 0]] },
      { ...good, entries: [['/x', 'socket', 0, 0, 0, 0]] },
      { ...good, entries: [['/x', 'file', -1, 0, 0, 0]] },
      { ...good, problems: [['other', '', '']] },
      { ...good, contents: {} },
    ]
    for (const value of broken) expect(() => decodeLayerIndex(value, index.diffId, capture.key)).toThrow()
  })

  test('a cache that cannot be written costs time, not the read', async () => {
    const blocked = join(dir, 'blocked')
    await writeFile(blocked, 'a file where the cache folder should be')
    const cache = new LayerCache(blocked)
    const index = await layer()
    await expect(cache.put(index, capture.key)).resolves.toBeUndefined()
    expect(await cache.get(index.diffId, capture.key)).toBeUndefined()
  })
})
