import { describe, expect, test } from 'vitest'
import { normalizeLayerPath, parentOf, whiteoutOf } from './layer-path.ts'

describe('normalizeLayerPath', () => {
  test.each([
    ['./usr/bin/', '/usr/bin', false],
    ['usr//bin/./env', '/usr/bin/env', false],
    ['./', '/', false],
    ['a/b/../c', '/a/c', false],
    ['a/../../etc/passwd', '/etc/passwd', true],
    ['../../../etc/shadow', '/etc/shadow', true],
    ['/etc/hosts', '/etc/hosts', true],
    ['..', '/', true],
  ])('%s → %s (escaped: %s)', (name, path, escaped) => {
    expect(normalizeLayerPath(name)).toEqual({ path, escaped })
  })
})

describe('whiteoutOf', () => {
  test('a whiteout names the path it removes', () => {
    expect(whiteoutOf('/etc/.wh.motd')).toEqual({ kind: 'whiteout', target: '/etc/motd' })
    expect(whiteoutOf('/.wh.opt')).toEqual({ kind: 'whiteout', target: '/opt' })
  })
  test('the opaque marker names its directory', () => {
    expect(whiteoutOf('/var/cache/.wh..wh..opq')).toEqual({ kind: 'opaque', dir: '/var/cache' })
    expect(whiteoutOf('/.wh..wh..opq')).toEqual({ kind: 'opaque', dir: '/' })
  })
  test('aufs bookkeeping and odd names are not part of the filesystem; other names are files', () => {
    expect(whiteoutOf('/.wh..wh.plnk')).toEqual({ kind: 'meta' })
    expect(whiteoutOf('/x/.wh.')).toEqual({ kind: 'meta' })
    expect(whiteoutOf('/x/.wh..')).toEqual({ kind: 'meta' })
    expect(whiteoutOf('/x/wh.file')).toEqual({ kind: 'none' })
    expect(whiteoutOf('/x/.whx')).toEqual({ kind: 'none' })
  })
})

test('parentOf', () => {
  expect(parentOf('/usr/bin/env')).toBe('/usr/bin')
  expect(parentOf('/usr')).toBe('/')
})
