import { describe, expect, test } from 'vitest'
import type { FileIndex } from './file-index.ts'
import { listDirectory, MAX_LINKS, resolvePath } from './resolve-path.ts'
import { dir, exe, file, fileIndexOf, hardlink, symlink } from './testdata/file-index-of.ts'

// Debian 12 style merged /usr: /bin and /sbin are links into /usr, sh is a relative link to dash.
const merged = fileIndexOf([
  symlink('/bin', 'usr/bin'),
  symlink('/sbin', '/usr/sbin'),
  dir('/usr/sbin'),
  exe('/usr/bin/dash'),
  symlink('/usr/bin/sh', 'dash'),
  exe('/usr/bin/perl'),
  hardlink('/usr/bin/perl5.36', '/usr/bin/perl'),
  symlink('/usr/bin/python3', '../lib/python3/bin/python3.11'),
  exe('/usr/lib/python3/bin/python3.11'),
  symlink('/etc/alternatives/editor', '/usr/bin/missing-editor'),
  file('/etc/hostname'),
])

const resolved = (index: FileIndex, path: string, followFinal?: boolean) => {
  const { entry, ...rest } = resolvePath(index, path, followFinal === undefined ? {} : { followFinal })
  return { ...rest, ...(entry === undefined ? {} : { entryPath: entry.path, type: entry.type }) }
}

describe('resolvePath', () => {
  test('plain paths resolve to their entry', () => {
    expect(resolved(merged, '/usr/bin/dash')).toEqual({
      path: '/usr/bin/dash',
      entryPath: '/usr/bin/dash',
      type: 'file',
    })
    expect(resolved(merged, '/')).toEqual({ path: '/', entryPath: '/', type: 'dir' })
  })

  test('a relative link resolves from its directory, an absolute one from the image root', () => {
    expect(resolved(merged, '/bin/sh')).toMatchObject({ path: '/usr/bin/dash', type: 'file' })
    expect(resolved(merged, '/sbin')).toMatchObject({ path: '/usr/sbin', type: 'dir' })
    expect(resolved(merged, '/usr/bin/python3')).toMatchObject({
      path: '/usr/lib/python3/bin/python3.11',
      type: 'file',
    })
  })

  test('followFinal: false stops at the last symlink but still follows the directories before it', () => {
    expect(resolved(merged, '/bin/sh', false)).toEqual({
      path: '/usr/bin/sh',
      entryPath: '/usr/bin/sh',
      type: 'symlink',
    })
    expect(resolved(merged, '/bin', false)).toMatchObject({ path: '/bin', type: 'symlink' })
  })

  test('a hard link resolves to its target entry, at its own path', () => {
    expect(resolved(merged, '/bin/perl5.36')).toEqual({
      path: '/usr/bin/perl5.36',
      entryPath: '/usr/bin/perl',
      type: 'file',
    })
  })

  test('. and .. apply after symlinks, as in the kernel, and .. stops at /', () => {
    // /bin/.. is the parent of /usr/bin, not of /bin.
    expect(resolved(merged, '/bin/../lib/python3')).toMatchObject({ path: '/usr/lib/python3', type: 'dir' })
    expect(resolved(merged, '/../../etc/./hostname')).toMatchObject({ path: '/etc/hostname', type: 'file' })
    expect(resolved(merged, '/usr/bin/..')).toMatchObject({ path: '/usr', type: 'dir' })
    const escape = fileIndexOf([symlink('/usr/up', '../../../../etc'), file('/etc/shadow')])
    expect(resolved(escape, '/usr/up/shadow')).toMatchObject({ path: '/etc/shadow', type: 'file' })
  })

  test('relative paths start at /, and a trailing slash asks for a directory', () => {
    expect(resolved(merged, 'bin/sh')).toMatchObject({ path: '/usr/bin/dash' })
    expect(resolved(merged, '/bin/')).toMatchObject({ path: '/usr/bin', type: 'dir' })
    expect(resolved(merged, '/etc/hostname/')).toEqual({
      path: '/etc/hostname',
      problem: 'not-a-directory',
      at: '/etc/hostname',
    })
  })

  test('missing: the path as far as resolved plus the rest, and where it stopped', () => {
    expect(resolved(merged, '/bin/nope/x')).toEqual({
      path: '/usr/bin/nope/x',
      problem: 'missing',
      at: '/usr/bin/nope',
    })
    // A dangling link: the link target is what is missing.
    expect(resolved(merged, '/etc/alternatives/editor')).toEqual({
      path: '/usr/bin/missing-editor',
      problem: 'missing',
      at: '/usr/bin/missing-editor',
    })
    expect(resolved(merged, '/etc/alternatives/editor', false)).toMatchObject({ type: 'symlink' })
  })

  test('a file used as a directory is not-a-directory', () => {
    expect(resolved(merged, '/etc/hostname/x')).toEqual({
      path: '/etc/hostname/x',
      problem: 'not-a-directory',
      at: '/etc/hostname',
    })
    expect(resolved(merged, '/bin/sh/x')).toMatchObject({ problem: 'not-a-directory', at: '/usr/bin/dash' })
  })

  test('symlink loops stop after 40 links, as on Linux, without throwing', () => {
    const loops = fileIndexOf([
      symlink('/a', 'b'),
      symlink('/b', '/a'),
      symlink('/self', 'self'),
      symlink('/dir/x', '../dir/x'),
    ])
    expect(resolved(loops, '/a')).toMatchObject({ problem: 'loop' })
    expect(resolved(loops, '/self/child')).toMatchObject({ problem: 'loop', at: '/self' })
    expect(resolved(loops, '/dir/x')).toMatchObject({ problem: 'loop', at: '/dir/x' })
    // Not following the final link means no loop at all.
    expect(resolved(loops, '/a', false)).toMatchObject({ path: '/a', type: 'symlink' })
  })

  test('a chain of exactly 40 links resolves, 41 is a loop', () => {
    const chain = (links: number) =>
      fileIndexOf([
        ...Array.from({ length: links }, (_, i) =>
          symlink(`/l${i}`, i + 1 === links ? '/target' : `/l${i + 1}`),
        ),
        file('/target'),
      ])
    expect(resolved(chain(MAX_LINKS), '/l0')).toMatchObject({ path: '/target', type: 'file' })
    expect(resolved(chain(MAX_LINKS + 1), '/l0')).toMatchObject({ problem: 'loop' })
  })

  test('hard links to a missing target and hard link cycles are problems, not crashes', () => {
    const hostile = fileIndexOf([
      hardlink('/usr/bin/ghost', '/usr/bin/gone'),
      hardlink('/x', '/y'),
      hardlink('/y', '/x'),
    ])
    expect(resolved(hostile, '/usr/bin/ghost')).toEqual({
      path: '/usr/bin/ghost',
      problem: 'missing',
      at: '/usr/bin/gone',
    })
    expect(resolved(hostile, '/x')).toMatchObject({ problem: 'loop' })
  })

  test('an empty link target names nothing', () => {
    expect(resolved(fileIndexOf([symlink('/empty', '')]), '/empty')).toMatchObject({ problem: 'missing' })
  })

  test('directories a tar left out are implied by their contents', () => {
    const sparse = fileIndexOf([exe('/opt/tool/bin/run')], { parents: false })
    expect(resolved(sparse, '/opt/tool/bin/run')).toMatchObject({ path: '/opt/tool/bin/run', type: 'file' })
    expect(resolved(sparse, '/opt/tool')).toEqual({ path: '/opt/tool', implied: true })
    expect(resolved(sparse, '/')).toEqual({ path: '/', implied: true })
    expect(resolved(sparse, '/opt/nope')).toMatchObject({ problem: 'missing' })
  })
})

describe('listDirectory', () => {
  test('lists a directory through a symlink, sorted, with its resolved path', () => {
    expect(listDirectory(merged, '/bin')).toEqual({
      path: '/usr/bin',
      names: ['dash', 'perl', 'perl5.36', 'python3', 'sh'],
    })
  })

  test('a file, a missing path or a loop is not a directory', () => {
    expect(listDirectory(merged, '/etc/hostname')).toBeUndefined()
    expect(listDirectory(merged, '/nope')).toBeUndefined()
    expect(listDirectory(fileIndexOf([symlink('/a', '/a')]), '/a')).toBeUndefined()
  })

  test('an empty directory lists nothing; an implied one lists its contents', () => {
    expect(listDirectory(fileIndexOf([dir('/empty')]), '/empty')).toEqual({ path: '/empty', names: [] })
    expect(listDirectory(fileIndexOf([file('/a/b/c')], { parents: false }), '/a')).toEqual({
      path: '/a',
      names: ['b'],
    })
  })
})
