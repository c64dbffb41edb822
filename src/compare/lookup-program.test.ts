import { describe, expect, test } from 'vitest'
import { dir, exe, file, fileIndexOf, hardlink, symlink } from '../image/testdata/file-index-of.ts'
import { absoluteIn, DEFAULT_PATH, lookupProgram, pathOf } from './lookup-program.ts'

const index = fileIndexOf([
  symlink('/bin', 'usr/bin'),
  exe('/usr/bin/bash'),
  symlink('/usr/bin/sh', 'bash'),
  file('/usr/local/bin/bash'), // not executable: skipped
  exe('/usr/local/bin/tool'),
  exe('/usr/bin/tool'),
  dir('/usr/local/bin/adir'),
  exe('/usr/bin/adir'),
  symlink('/usr/local/bin/broken', '/nowhere'),
  exe('/usr/bin/broken'),
  file('/usr/bin/notes'),
  exe('/srv/app/run.sh'),
  symlink('/loop', '/loop'),
  hardlink('/usr/bin/bash5', '/usr/bin/bash'),
])

const PATH = '/usr/local/bin:/usr/bin:/bin'

describe('pathOf', () => {
  test("an image's PATH, the last one winning, else the engine's default", () => {
    expect(pathOf({ Env: ['PATH=/a', 'X=1', 'PATH=/b:/c'] })).toBe('/b:/c')
    expect(pathOf({ Env: ['X=1'] })).toBe(DEFAULT_PATH)
    expect(pathOf({})).toBe(DEFAULT_PATH)
  })
})

describe('absoluteIn', () => {
  test('joins relative paths to a base; absolute ones stay', () => {
    expect(absoluteIn('/srv', 'app/run.sh')).toBe('/srv/app/run.sh')
    expect(absoluteIn('/', 'x')).toBe('/x')
    expect(absoluteIn('/srv/', 'x')).toBe('/srv/x')
    expect(absoluteIn('srv', 'x')).toBe('/srv/x')
    expect(absoluteIn('/srv', '/abs')).toBe('/abs')
    expect(absoluteIn('/srv', '.')).toBe('/srv')
    expect(absoluteIn('/srv', '')).toBe('/srv')
  })
})

describe('lookupProgram', () => {
  test('the first PATH directory holding an executable of that name wins', () => {
    expect(lookupProgram(index, 'tool', PATH)).toMatchObject({
      path: '/usr/local/bin/tool',
      tried: ['/usr/local/bin/tool'],
    })
  })

  test('non-executable files, directories and broken links are skipped, as exec does', () => {
    expect(lookupProgram(index, 'bash', PATH)).toMatchObject({
      path: '/usr/bin/bash',
      tried: ['/usr/local/bin/bash', '/usr/bin/bash'],
    })
    expect(lookupProgram(index, 'adir', PATH).path).toBe('/usr/bin/adir')
    expect(lookupProgram(index, 'broken', PATH).path).toBe('/usr/bin/broken')
  })

  test('a symlink and a hard link to an executable run; the path is the one looked up', () => {
    const sh = lookupProgram(index, 'sh', PATH)
    expect(sh.path).toBe('/usr/bin/sh')
    expect(sh.resolved?.path).toBe('/usr/bin/bash')
    expect(lookupProgram(index, 'bash5', PATH).resolved?.entry?.path).toBe('/usr/bin/bash')
  })

  test('only non-executable files of that name: not-executable, naming the first', () => {
    expect(lookupProgram(index, 'notes', PATH)).toMatchObject({
      path: '/usr/bin/notes',
      problem: 'not-executable',
    })
  })

  test('no file of that name: missing, with every path tried', () => {
    expect(lookupProgram(index, 'nope', PATH)).toEqual({
      problem: 'missing',
      tried: ['/usr/local/bin/nope', '/usr/bin/nope', '/bin/nope'],
    })
    expect(lookupProgram(index, '', PATH)).toEqual({ problem: 'missing', tried: [] })
  })

  test('an absolute name is used as is; a name with a slash starts at the working directory', () => {
    expect(lookupProgram(index, '/bin/sh', PATH)).toMatchObject({ path: '/bin/sh', tried: ['/bin/sh'] })
    expect(lookupProgram(index, 'app/run.sh', PATH, '/srv')).toMatchObject({ path: '/srv/app/run.sh' })
    expect(lookupProgram(index, 'app/run.sh', PATH, '/')).toMatchObject({ problem: 'missing' })
    expect(lookupProgram(index, '/usr/bin/notes', PATH)).toMatchObject({ problem: 'not-executable' })
    expect(lookupProgram(index, '/usr/local/bin/adir', PATH)).toMatchObject({ problem: 'not-a-file' })
    expect(lookupProgram(index, '/loop', PATH)).toMatchObject({ problem: 'loop' })
  })

  test('an empty or relative PATH entry is looked up from the working directory', () => {
    expect(lookupProgram(index, 'run.sh', 'app:/usr/bin', '/srv').path).toBe('/srv/app/run.sh')
    expect(lookupProgram(index, 'run.sh', ':/usr/bin', '/srv/app').path).toBe('/srv/app/run.sh')
  })
})
