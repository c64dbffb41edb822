import { describe, expect, test } from 'vitest'
import { fileIndexOf, symlink } from '../testdata/file-index-of.ts'
import { parseOsRelease, readOsRelease } from './os-release.ts'
import { debianFixtureIndex } from './testdata/debian-fixture.ts'

describe('os-release', () => {
  test('quotes, escapes and comments', () => {
    expect(
      parseOsRelease(
        '# a comment\nID=alpine\nVERSION_ID=3.19.1\nPRETTY_NAME="Alpine \\"Linux\\" v3.19"\nNAME=\'x\'\n',
      ),
    ).toEqual({ id: 'alpine', versionId: '3.19.1', prettyName: 'Alpine "Linux" v3.19' })
  })

  test('no ID, no distribution', () => {
    expect(parseOsRelease('NAME=thing\n')).toBeUndefined()
  })

  test('the Debian fixture: /etc/os-release is a symlink to /usr/lib/os-release', () => {
    expect(readOsRelease(debianFixtureIndex('upstream'))).toEqual({
      id: 'debian',
      versionId: '12',
      prettyName: 'Debian GNU/Linux 12 (bookworm)',
    })
  })

  test('/etc/os-release wins over /usr/lib/os-release', () => {
    const index = fileIndexOf([symlink('/x', 'y')], {
      contents: { '/etc/os-release': 'ID=wolfi\n', '/usr/lib/os-release': 'ID=alpine\n' },
    })
    expect(readOsRelease(index)).toEqual({ id: 'wolfi' })
    expect(readOsRelease(fileIndexOf([]))).toBeUndefined()
  })
})
