import { createHash } from 'node:crypto'
import { describe, expect, test } from 'vitest'
import { compileCapture } from './capture-matcher.ts'
import { mergeLayers } from './merge-layers.ts'
import { indexEntries, TEST_CAPTURE } from './testdata/index-layer.ts'
import type { CraftEntry } from './testdata/layouts.ts'

const capture = compileCapture(TEST_CAPTURE)

async function merge(...layers: CraftEntry[][]) {
  return mergeLayers(await Promise.all(layers.map((entries) => indexEntries(entries))), capture)
}

const dir = (name: string, mode = 0o755): CraftEntry => ({ name, type: 'directory', mode })
const file = (name: string, content = name): CraftEntry => ({ name, content })
const paths = (index: Awaited<ReturnType<typeof merge>>) => [...index.entries.keys()].sort()

describe('mergeLayers', () => {
  test('a file removed in a later layer is gone, with its captured content', async () => {
    const index = await merge([dir('etc/'), file('etc/motd'), file('etc/hosts')], [file('etc/.wh.motd', '')])
    expect(paths(index)).toEqual(['/etc', '/etc/hosts'])
    expect([...index.contents.keys()]).toEqual(['/etc/hosts'])
    expect(index.problems).toEqual([])
  })

  test('a whiteout of a directory removes everything under it, and only that', async () => {
    const index = await merge(
      [dir('opt/'), dir('opt/app/'), dir('opt/app/lib/'), file('opt/app/lib/x'), file('opt/application')],
      [file('opt/.wh.app', '')],
    )
    expect(paths(index)).toEqual(['/opt', '/opt/application'])
  })

  test('an opaque directory hides the lower children and keeps its own', async () => {
    const index = await merge(
      [dir('d/'), file('d/old'), dir('d/sub/'), file('d/sub/deep')],
      [dir('d/', 0o700), file('d/.wh..wh..opq', ''), file('d/new')],
    )
    expect(paths(index)).toEqual(['/d', '/d/new'])
    expect(index.entries.get('/d')).toMatchObject({ mode: 0o700, layer: 1 })
  })

  test('whiteouts apply to lower layers only: a path removed and written again in one layer stays', async () => {
    const index = await merge([file('a', 'old')], [file('.wh.a', ''), file('a', 'new')])
    expect(index.entries.get('/a')).toMatchObject({ type: 'file', size: 3, layer: 1 })
  })

  test('a file replacing a directory removes the directory tree; a directory may replace a file', async () => {
    const index = await merge(
      [dir('d/'), file('d/child'), file('f')],
      [file('d', 'now a file'), dir('f/'), file('f/inside')],
    )
    expect(paths(index)).toEqual(['/d', '/f', '/f/inside'])
    expect(index.entries.get('/d')?.type).toBe('file')
    expect(index.entries.get('/f')?.type).toBe('dir')
  })

  test('a directory over a directory keeps the children below it', async () => {
    const index = await merge([dir('d/'), file('d/child')], [dir('d/', 0o711)])
    expect(paths(index)).toEqual(['/d', '/d/child'])
    expect(index.entries.get('/d')).toMatchObject({ mode: 0o711, layer: 1 })
  })

  test('parents a tar never listed still exist for whiteouts', async () => {
    const index = await merge([file('a/b/c')], [file('a/.wh.b', '')])
    expect(paths(index)).toEqual([])
    expect(index.problems).toEqual([])
  })

  test('a whiteout of a path no lower layer has is a whiteout-missing problem', async () => {
    const index = await merge([file('a')], [file('etc/.wh.ghost', '')])
    expect(index.problems).toEqual([
      {
        layer: 1,
        path: 'etc/.wh.ghost',
        kind: 'whiteout-missing',
        message: expect.stringContaining('/etc/ghost'),
      },
    ])
  })

  test('a hard link shares its target’s size, hash and captured content', async () => {
    const index = await merge(
      [dir('bin/'), file('bin/tool', 'binary'), dir('etc/'), file('etc/one', 'shared')],
      [
        { name: 'bin/tool2', type: 'link', linkname: 'bin/tool' },
        { name: 'etc/two', type: 'link', linkname: './etc/one' },
      ],
    )
    const sha256 = `sha256:${createHash('sha256').update('binary').digest('hex')}`
    expect(index.entries.get('/bin/tool')?.sha256).toBe(sha256)
    expect(index.entries.get('/bin/tool2')).toMatchObject({
      type: 'hardlink',
      linkTarget: '/bin/tool',
      size: 6,
      sha256,
    })
    expect(index.contents.get('/etc/two')?.toString()).toBe('shared')
    expect(index.problems).toEqual([])
  })

  test('a hard link to a missing path is a hardlink-missing problem', async () => {
    const index = await merge([file('a')], [{ name: 'b', type: 'link', linkname: 'nowhere' }])
    expect(index.entries.get('/b')).toMatchObject({ type: 'hardlink', linkTarget: '/nowhere', size: 0 })
    expect(index.problems).toEqual([
      { layer: 1, path: 'b', kind: 'hardlink-missing', message: expect.stringContaining('/nowhere') },
    ])
  })

  test('content is captured up to maxContentBytes, then only indexed', async () => {
    const index = await merge([
      dir('etc/'),
      file('etc/small', 'x'.repeat(64)),
      file('etc/big', 'x'.repeat(65)),
    ])
    expect([...index.contents.keys()]).toEqual(['/etc/small'])
    expect(index.entries.get('/etc/big')?.size).toBe(65)
  })

  test('entries record modes with setuid, setgid and sticky bits, owners and the last layer to write them', async () => {
    const index = await merge(
      [
        { name: 'bin/su', content: 'su', mode: 0o4755 },
        { name: 'tmp/', type: 'directory', mode: 0o1777 },
      ],
      [{ name: 'bin/su', content: 'su', mode: 0o2711, uid: 10, gid: 20 }],
    )
    expect(index.entries.get('/bin/su')).toMatchObject({ mode: 0o2711, uid: 10, gid: 20, layer: 1 })
    expect(index.entries.get('/tmp')).toMatchObject({ mode: 0o1777, layer: 0 })
  })
})
