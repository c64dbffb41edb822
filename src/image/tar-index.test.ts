import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { entryName, resolveEntry, scanTar } from './tar-index.ts'
import { tempDir, writeTar } from './testdata/archives.ts'

let dir = ''
let removeDir = async () => {}
beforeAll(async () => {
  ;({ dir, remove: removeDir } = await tempDir())
})
afterAll(async () => {
  await removeDir()
})

describe('entryName', () => {
  test.each([
    ['./index.json', 'index.json'],
    ['blobs/sha256/', 'blobs/sha256'],
    ['a/./b/../c', 'a/c'],
    ['manifest.json', 'manifest.json'],
  ])('%s → %s', (name, expected) => {
    expect(entryName(name)).toBe(expected)
  })
})

describe('scanTar', () => {
  test('keeps small JSON files whole and only the size and first bytes of everything else', async () => {
    const file = join(dir, 'mixed.tar')
    const layer = Buffer.alloc(3 * 1024 * 1024, 7)
    await writeTar(file, [
      { name: './index.json', content: '{"manifests":[]}' },
      { name: 'blobs/sha256/aa', content: '  \n[1,2]' },
      { name: 'blobs/sha256/bb', content: layer },
      { name: 'notes.txt', content: 'not json' },
      { name: 'link', linkname: 'blobs/sha256/bb' },
    ])
    const index = await scanTar(file)
    expect(index.file).toBe(file)
    expect(index.entries.get('index.json')?.data?.toString()).toBe('{"manifests":[]}')
    expect(index.entries.get('blobs/sha256/aa')?.data?.toString()).toBe('  \n[1,2]')
    const big = index.entries.get('blobs/sha256/bb')
    expect(big).toMatchObject({ type: 'file', size: layer.length })
    expect(big?.data).toBeUndefined()
    expect(big?.magic).toEqual(Buffer.from([7, 7, 7, 7]))
    expect(index.entries.get('notes.txt')?.data).toBeUndefined()
    expect(index.entries.get('blobs/sha256')).toBeUndefined()
    expect(resolveEntry(index, 'link')?.size).toBe(layer.length)
  })

  test('symlink loops and dangling links resolve to nothing', async () => {
    const file = join(dir, 'links.tar')
    await writeTar(file, [
      { name: 'a', linkname: 'b' },
      { name: 'b', linkname: 'a' },
      { name: 'c', linkname: 'missing' },
    ])
    const index = await scanTar(file)
    expect(resolveEntry(index, 'a')).toBeUndefined()
    expect(resolveEntry(index, 'c')).toBeUndefined()
  })

  test('an empty file has no entries (the sources then say what is missing)', async () => {
    const file = join(dir, 'empty.tar')
    await writeFile(file, '')
    const index = await scanTar(file)
    expect(index.entries.size).toBe(0)
  })
})
