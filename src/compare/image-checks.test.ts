import { describe, expect, test } from 'vitest'
import { dir, exe, file, fileIndexOf, symlink } from '../image/testdata/file-index-of.ts'
import { checkFile, checkNoPackageManager, checkNoShell } from './image-checks.ts'

const passwd = 'root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000::/home/app:/bin/sh\n'
const group = 'root:x:0:\napp:x:1000:\n'

describe('checkNoShell', () => {
  test('finds shells by name, through symlinks, and busybox itself', () => {
    const index = fileIndexOf([
      exe('/bin/busybox'),
      symlink('/bin/sh', 'busybox'),
      exe('/usr/bin/bash'),
      exe('/usr/bin/env'),
    ])
    expect(checkNoShell(index).map((f) => f.key)).toEqual(['/bin/busybox', '/bin/sh', '/usr/bin/bash'])
  })

  test('a dangling link or a non-executable file named sh is no shell', () => {
    const index = fileIndexOf([
      symlink('/bin/sh', '/nowhere'),
      file('/etc/skel/bash', 0o644),
      dir('/usr/share/zsh'),
    ])
    expect(checkNoShell(index)).toEqual([])
  })
})

describe('checkNoPackageManager', () => {
  const index = fileIndexOf([
    exe('/usr/bin/dpkg'),
    exe('/usr/bin/apt-get'),
    exe('/usr/local/bin/pip3'),
    exe('/usr/bin/ls'),
  ])

  test('OS package managers by default', () => {
    expect(checkNoPackageManager(index).map((f) => [f.check, f.key])).toEqual([
      ['image.package-manager', '/usr/bin/apt-get'],
      ['image.package-manager', '/usr/bin/dpkg'],
    ])
  })

  test('language ones on request', () => {
    expect(checkNoPackageManager(index, { language: true }).map((f) => f.key)).toContain(
      '/usr/local/bin/pip3',
    )
  })
})

describe('checkFile', () => {
  const index = fileIndexOf(
    [
      exe('/usr/bin/app', { uid: 1000, gid: 1000 }),
      symlink('/app', '/usr/bin/app'),
      file('/etc/secret', 0o600),
    ],
    { contents: { '/etc/passwd': passwd, '/etc/group': group } },
  )

  test('present, through a symlink, with the right mode and owner by name or number', () => {
    expect(checkFile(index, '/app', { mode: '0755', owner: 'app:app' })).toEqual([])
    expect(checkFile(index, '/usr/bin/app', { mode: 0o755, owner: 1000 })).toEqual([])
  })

  test('missing, wrong mode and wrong owner are findings', () => {
    expect(checkFile(index, '/usr/bin/nope')[0]?.message).toBe('/usr/bin/nope is missing: it does not exist')
    expect(checkFile(index, '/etc/secret', { mode: '644' })[0]).toMatchObject({
      upstream: '0644',
      rebuilt: '0600',
    })
    expect(checkFile(index, '/usr/bin/app', { owner: 'root' })[0]?.message).toBe(
      '/usr/bin/app is owned by app:app (1000:1000), expected root',
    )
  })

  test('a mode that is not octal is a usage error', () => {
    expect(() => checkFile(index, '/app', { mode: '9z' })).toThrow(/not an octal permission/)
  })
})
