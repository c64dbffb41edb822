import { describe, expect, test } from 'vitest'
import { fileIndexOf } from '../testdata/file-index-of.ts'
import { readDpkgPackages } from './dpkg-packages.ts'
import { debianFixtureIndex } from './testdata/debian-fixture.ts'

const debian12 = { id: 'debian', versionId: '12' }

function read(contents: Record<string, string>) {
  const notes: string[] = []
  const packages = readDpkgPackages(fileIndexOf([], { contents }), debian12, notes)
  return { packages, notes }
}

describe('readDpkgPackages on the Debian fixture status', () => {
  const notes: string[] = []
  const packages = readDpkgPackages(debianFixtureIndex('upstream'), debian12, notes)

  test('every installed package, no notes', () => {
    expect(packages).toHaveLength(88)
    expect(notes).toEqual([])
    expect(new Set(packages.map((p) => p.name)).size).toBe(88)
  })

  test('a package with a binNMU: Source carries the source version', () => {
    expect(packages.find((p) => p.name === 'bash')).toEqual({
      ecosystem: 'deb',
      name: 'bash',
      version: '5.2.15-2+b13',
      arch: 'amd64',
      source: 'bash',
      sourceVersion: '5.2.15-2',
      purl: 'pkg:deb/debian/bash@5.2.15-2+b13?arch=amd64&distro=debian-12',
      foundIn: '/var/lib/dpkg/status',
    })
  })

  test('Source without a version: the binary version is the source version', () => {
    expect(packages.find((p) => p.name === 'libgcc-s1')).toMatchObject({
      version: '12.2.0-14+deb12u1',
      source: 'gcc-12',
      sourceVersion: '12.2.0-14+deb12u1',
    })
  })

  test('no Source field: the source package has the binary name', () => {
    expect(packages.find((p) => p.name === 'dash')).toMatchObject({ source: 'dash' })
  })

  test('an epoch stays in the version and the purl', () => {
    const util = packages.find((p) => p.name === 'util-linux')
    expect(util?.version).toBe('2.38.1-5+deb12u3')
    const bsdutils = packages.find((p) => p.name === 'bsdutils')
    expect(bsdutils?.version).toBe('1:2.38.1-5+deb12u3')
    expect(bsdutils?.purl).toBe('pkg:deb/debian/bsdutils@1:2.38.1-5+deb12u3?arch=amd64&distro=debian-12')
  })
})

const stanza = (name: string, status: string, extra = '') =>
  `Package: ${name}\nStatus: ${status}\nArchitecture: amd64\nVersion: 1.0-1\n${extra}`

describe('readDpkgPackages: which states count as installed', () => {
  test('installed, held and trigger-pending packages count; removed ones do not, silently', () => {
    const status = [
      stanza('a', 'install ok installed'),
      stanza('b', 'hold ok installed'),
      stanza('c', 'install ok triggers-pending'),
      stanza('d', 'deinstall ok config-files'),
      stanza('e', 'purge ok not-installed'),
    ].join('\n')
    const { packages, notes } = read({ '/var/lib/dpkg/status': status })
    expect(packages.map((p) => p.name)).toEqual(['a', 'b', 'c'])
    expect(notes).toEqual([])
  })

  test('an interrupted install is not counted, and said so', () => {
    const status = [stanza('a', 'install reinstreq half-installed'), stanza('b', 'install ok unpacked')].join(
      '\n',
    )
    const { packages, notes } = read({ '/var/lib/dpkg/status': status })
    expect(packages).toEqual([])
    expect(notes).toEqual([
      '/var/lib/dpkg/status line 1: a has Status "install reinstreq half-installed"; not counted as installed',
      '/var/lib/dpkg/status line 6: b has Status "install ok unpacked"; not counted as installed',
    ])
  })
})

describe('readDpkgPackages: malformed input is skipped with a note', () => {
  test('a stanza without Version or Package, a stray line, a stanza without Status', () => {
    const status = [
      'Package: no-version\nStatus: install ok installed\n',
      'Status: install ok installed\nVersion: 1\n',
      'this line is garbage\nPackage: ok\nStatus: install ok installed\nVersion: 2.0\n',
      'Package: no-status\nVersion: 1\n',
    ].join('\n')
    const { packages, notes } = read({ '/var/lib/dpkg/status': status })
    expect(packages.map((p) => p.name)).toEqual(['ok'])
    expect(notes).toEqual([
      '/var/lib/dpkg/status: line 7: not a "Field: value" line: "this line is garbage"; line skipped',
      '/var/lib/dpkg/status line 1: stanza without Version; skipped',
      '/var/lib/dpkg/status line 4: stanza without Package; skipped',
      '/var/lib/dpkg/status line 12: no-status has no Status field; not counted as installed',
    ])
  })

  test('binary junk gives notes, not a throw', () => {
    const { packages, notes } = read({ '/var/lib/dpkg/status': '\u0000\u0001\u0002\n\u00ff:\n  \n' })
    expect(packages).toEqual([])
    expect(notes.length).toBeGreaterThan(0)
  })
})

describe('readDpkgPackages: distroless status.d', () => {
  test('one stanza per file, .md5sums skipped, Status optional', () => {
    const { packages, notes } = read({
      '/var/lib/dpkg/status.d/libc6':
        'Package: libc6\nVersion: 2.36-9+deb12u4\nArchitecture: amd64\nSource: glibc\n',
      '/var/lib/dpkg/status.d/libc6.md5sums': 'd41d8cd98f00b204e9800998ecf8427e  usr/lib/x.so\n',
      '/var/lib/dpkg/status.d/tzdata':
        'Package: tzdata\nStatus: install ok installed\nVersion: 2024a-0+deb12u1\nArchitecture: all\n',
    })
    expect(notes).toEqual([])
    expect(packages.map((p) => [p.name, p.version, p.source, p.foundIn])).toEqual([
      ['libc6', '2.36-9+deb12u4', 'glibc', '/var/lib/dpkg/status.d/libc6'],
      ['tzdata', '2024a-0+deb12u1', 'tzdata', '/var/lib/dpkg/status.d/tzdata'],
    ])
    expect(packages[1]?.purl).toBe('pkg:deb/debian/tzdata@2024a-0+deb12u1?arch=all&distro=debian-12')
  })
})
