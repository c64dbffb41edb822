import { describe, expect, test } from 'vitest'
import { fileIndexOf } from '../testdata/file-index-of.ts'
import { parseStanzas } from './control-stanzas.ts'
import { readInventory } from './read-inventory.ts'

describe('readInventory', () => {
  test('every database of one image, with the distribution and the notes of all readers', () => {
    const index = fileIndexOf([], {
      contents: {
        '/etc/os-release': 'ID=debian\nVERSION_ID="12"\n',
        '/var/lib/dpkg/status':
          'Package: bash\nStatus: install ok installed\nVersion: 5.2.15-2\nArchitecture: amd64\n',
        '/lib/apk/db/installed': 'P:musl\nV:1.2.4-r2\n\nP:no-version\n',
        '/usr/lib/python3/dist-packages/six-1.16.0.dist-info/METADATA': 'Name: six\nVersion: 1.16.0\n',
        '/app/node_modules/left-pad/package.json': '{"name":"left-pad","version":"1.3.0","license":"WTFPL"}',
        '/app/node_modules/broken/package.json': '{',
      },
    })
    const inventory = readInventory(index)
    expect(inventory.os).toEqual({ id: 'debian', versionId: '12' })
    expect(inventory.packages.map((p) => p.purl)).toEqual([
      'pkg:deb/debian/bash@5.2.15-2?arch=amd64&distro=debian-12',
      'pkg:apk/debian/musl@1.2.4-r2?distro=debian-12',
      'pkg:pypi/six@1.16.0',
      'pkg:npm/left-pad@1.3.0',
    ])
    expect(inventory.notes).toEqual([
      '/lib/apk/db/installed line 4: package record without V:; skipped',
      expect.stringMatching(/^\/app\/node_modules\/broken\/package.json: not valid JSON/),
    ])
  })

  test('random bytes in every database and metadata file: notes at most, never a throw', () => {
    // A fixed-seed generator, so a failure repeats.
    let seed = 42
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31
      return seed / 2 ** 31
    }
    const junk = () => {
      const alphabet = 'PV:AL o\n\n\t{}"[]Package: Version: Status: install ok installed\u0000\u00ff-~._1a'
      return Array.from(
        { length: Math.floor(random() * 400) },
        () => alphabet[Math.floor(random() * alphabet.length)],
      ).join('')
    }
    for (let round = 0; round < 200; round++) {
      const index = fileIndexOf([], {
        contents: {
          '/etc/os-release': junk(),
          '/var/lib/dpkg/status': junk(),
          '/var/lib/dpkg/status.d/x': junk(),
          '/lib/apk/db/installed': junk(),
          '/var/lib/rpm/rpmdb.sqlite': `SQLite format 3\u0000${junk()}`,
          '/site/x-1.dist-info/METADATA': junk(),
          '/app/node_modules/x/package.json': junk(),
        },
      })
      expect(() => readInventory(index)).not.toThrow()
    }
  })

  test('an image without any package database: no packages, no os, no notes', () => {
    expect(readInventory(fileIndexOf([{ path: '/bin/busybox', type: 'file' }]))).toEqual({ packages: [] })
  })
})

describe('parseStanzas', () => {
  test('continuation lines, repeated fields, CRLF and case-insensitive names', () => {
    const { stanzas, problems } = parseStanzas(
      'Package: a\r\nDescription: short\r\n long line\r\n .\r\nclassifier: x\r\nClassifier: y\r\n\r\nPACKAGE: b\r\n',
    )
    expect(problems).toEqual([])
    expect(stanzas.map((s) => Object.fromEntries(s.fields))).toEqual([
      { package: 'a', description: 'short\nlong line\n.', classifier: 'x\ny' },
      { package: 'b' },
    ])
    expect(stanzas.map((s) => s.line)).toEqual([1, 8])
  })

  test('firstOnly stops at the first blank line; a continuation with nothing before it is a problem', () => {
    expect(parseStanzas('Name: a\n\nName: b\n', { firstOnly: true }).stanzas).toHaveLength(1)
    expect(parseStanzas('  orphan\nName: a\n').problems).toEqual([
      'line 1: continuation line with no field before it',
    ])
  })
})
