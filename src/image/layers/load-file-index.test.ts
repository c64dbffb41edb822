import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { DEFAULT_CAPTURE } from '../capture.ts'
import { loadSnapshot } from '../load.ts'
import { caught } from '../testdata/caught.ts'
import { clearFileIndexCache, loadFileIndex } from './load-file-index.ts'
import { layersTempDir, packLayer, writeOciLayout } from './testdata/layouts.ts'

let dir: string
let remove: () => Promise<void>
beforeAll(async () => {
  ;({ dir, remove } = await layersTempDir())
})
afterAll(() => remove())

test('one read per snapshot and capture spec; failures are not kept', async () => {
  const layout = join(dir, 'layout')
  const snapshot = await loadSnapshot(
    await writeOciLayout(layout, [await packLayer([{ name: 'a', content: 'a' }])]),
  )
  const options = { cacheDir: join(dir, 'cache') }
  const first = loadFileIndex(snapshot, DEFAULT_CAPTURE, options)
  expect(loadFileIndex(snapshot, DEFAULT_CAPTURE, options)).toBe(first)
  expect(loadFileIndex(snapshot, { ...DEFAULT_CAPTURE, hash: ['/a'] }, options)).not.toBe(first)
  expect((await first).entries.has('/a')).toBe(true)

  // With the blobs and the cache gone, a fresh read fails, is not remembered, and fails again.
  await rm(join(layout, 'blobs'), { recursive: true })
  await rm(options.cacheDir, { recursive: true })
  clearFileIndexCache()
  const failed = loadFileIndex(snapshot, DEFAULT_CAPTURE, options)
  expect((await caught(() => failed)).code).toBe('IMGTEST_BAD_ARCHIVE')
  expect(loadFileIndex(snapshot, DEFAULT_CAPTURE, options)).not.toBe(failed)
  await caught(() => loadFileIndex(snapshot, DEFAULT_CAPTURE, options))
})
