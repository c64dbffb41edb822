import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { FileIndex } from '../file-index.ts'
import { fileIndexOf } from '../testdata/file-index-of.ts'
import { readInventory } from './read-inventory.ts'
import { readRpmPackages } from './rpm-packages.ts'

const spec = (name: string, header: string) => `Name: ${name}
${header}
Summary: imgtest test package
BuildArch: noarch
%description
A package imgtest's tests install into a throwaway rpm database.
%install
mkdir -p %{buildroot}/usr/share/${name}
echo hello > %{buildroot}/usr/share/${name}/hello.txt
%files
/usr/share/${name}/hello.txt
`

/** A real sqlite rpmdb: two tiny noarch packages built with rpmbuild, installed into a temp root. */
function buildRpmdb(dir: string): { bytes: Buffer; expected: string[] } {
  const specs = join(dir, 'SPECS')
  mkdirSync(specs, { recursive: true })
  writeFileSync(
    join(specs, 'a.spec'),
    spec('imgtest-hello', 'Version: 1.2.3\nRelease: 4\nEpoch: 2\nLicense: MIT AND Apache-2.0'),
  )
  writeFileSync(
    join(specs, 'b.spec'),
    spec('imgtest-plain', 'Version: 0.9~rc1\nRelease: 1.fc40\nLicense: GPL-2.0-only'),
  )
  for (const file of ['a.spec', 'b.spec']) {
    execFileSync(
      'rpmbuild',
      ['--define', `_topdir ${dir}`, '--define', `_tmppath ${dir}/tmp`, '-bb', join(specs, file)],
      {
        stdio: 'ignore',
      },
    )
  }
  const rpms = readdirSync(join(dir, 'RPMS', 'noarch')).map((name) => join(dir, 'RPMS', 'noarch', name))
  const root = join(dir, 'root')
  const db = ['--root', root, '--dbpath', '/var/lib/rpm', '--define', '_db_backend sqlite']
  execFileSync('rpm', [...db, '-i', '--nodeps', '--ignoreos', '--ignorearch', '--noscripts', ...rpms], {
    stdio: 'ignore',
  })
  // What rpm itself says is installed: the ground truth the reader must match.
  const query = '%{NAME}\\t%{EPOCH}\\t%{VERSION}\\t%{RELEASE}\\t%{ARCH}\\t%{LICENSE}\\t%{SOURCERPM}\\n'
  const expected = execFileSync('rpm', [...db, '-qa', '--qf', query], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .sort()
  return { bytes: readFileSync(join(root, 'var/lib/rpm/rpmdb.sqlite')), expected }
}

function indexWith(path: string, bytes: Buffer, more: Record<string, string> = {}): FileIndex {
  const index = fileIndexOf([{ path, type: 'file', size: bytes.length }], { contents: more })
  index.contents.set(path, bytes)
  return index
}

describe('readRpmPackages on a real rpmdb.sqlite made by rpm', () => {
  let dir = ''
  let rpmdb: { bytes: Buffer; expected: string[] }
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'imgtest-rpm-test-'))
    rpmdb = buildRpmdb(dir)
  })
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  const asRpmQuery = (index: FileIndex, viaFile: boolean) => {
    const notes: string[] = []
    const packages = readRpmPackages(index, { id: 'fedora', versionId: '40' }, notes, { viaFile })
    expect(notes).toEqual([])
    // Rebuild rpm -qa's line from what the reader found.
    return packages
      .map((p) => {
        const [, epoch = '(none)', vr = p.version] = /^(?:(\d+):)?(.*)$/.exec(p.version) ?? []
        const hyphen = vr.lastIndexOf('-')
        return [p.name, epoch, vr.slice(0, hyphen), vr.slice(hyphen + 1), p.arch, p.license, p.source].join(
          '\t',
        )
      })
      .sort()
  }

  test.each([false, true])(
    'every package rpm lists, field for field (through a temp file: %s)',
    (viaFile) => {
      const index = indexWith('/var/lib/rpm/rpmdb.sqlite', rpmdb.bytes)
      expect(rpmdb.expected).toHaveLength(2)
      expect(asRpmQuery(index, viaFile)).toEqual(rpmdb.expected)
    },
  )

  test('purls and versions, with the distribution from os-release; /usr/lib/sysimage is read too', () => {
    const index = indexWith('/usr/lib/sysimage/rpm/rpmdb.sqlite', rpmdb.bytes, {
      '/etc/os-release': 'ID=fedora\nVERSION_ID=40\n',
    })
    const inventory = readInventory(index)
    expect(inventory.notes).toBeUndefined()
    expect(inventory.packages.map((p) => [p.version, p.purl]).sort()).toEqual([
      ['0.9~rc1-1.fc40', 'pkg:rpm/fedora/imgtest-plain@0.9~rc1-1.fc40?arch=noarch&distro=fedora-40'],
      ['2:1.2.3-4', 'pkg:rpm/fedora/imgtest-hello@1.2.3-4?arch=noarch&distro=fedora-40&epoch=2'],
    ])
  })

  test('the database is read from memory or a temp file that is removed', () => {
    const before = readdirSync(tmpdir()).filter((name) => name.startsWith('imgtest-rpmdb-'))
    readRpmPackages(indexWith('/var/lib/rpm/rpmdb.sqlite', rpmdb.bytes), undefined, [], { viaFile: true })
    const after = readdirSync(tmpdir()).filter((name) => name.startsWith('imgtest-rpmdb-'))
    expect(after).toEqual(before)
  })

  test('a truncated or scrambled database gives a note, never a throw', () => {
    const scrambled = Buffer.from(rpmdb.bytes)
    for (let at = 4096; at < scrambled.length; at += 97) scrambled[at] = (scrambled[at] ?? 0) ^ 0x5a
    for (const bytes of [rpmdb.bytes.subarray(0, 4096), rpmdb.bytes.subarray(0, 100), scrambled]) {
      const notes: string[] = []
      expect(readRpmPackages(indexWith('/var/lib/rpm/rpmdb.sqlite', bytes), undefined, notes)).toEqual([])
      expect(notes).toEqual([
        expect.stringMatching(
          /^\/var\/lib\/rpm\/rpmdb\.sqlite: cannot read the rpm database \(.+\); rpm packages are not listed$/,
        ),
      ])
    }
  })

  test('one corrupt header: that package is noted, the others are read', () => {
    const bytes = edited(
      rpmdb.bytes,
      'UPDATE Packages SET blob = substr(blob, 1, 40) WHERE hnum = (SELECT min(hnum) FROM Packages)',
    )
    const notes: string[] = []
    const packages = readRpmPackages(indexWith('/var/lib/rpm/rpmdb.sqlite', bytes), undefined, notes)
    expect(packages).toHaveLength(1)
    expect(notes).toEqual([
      expect.stringMatching(
        /^\/var\/lib\/rpm\/rpmdb\.sqlite: package \d+: header needs \d+ bytes .*; skipped$/,
      ),
    ])
  })

  test('a -wal file with content is noted: its changes are not read', () => {
    const index = indexWith('/var/lib/rpm/rpmdb.sqlite', rpmdb.bytes)
    const wal = fileIndexOf([{ path: '/var/lib/rpm/rpmdb.sqlite-wal', type: 'file', size: 4096 }])
    for (const [path, entry] of wal.entries) index.entries.set(path, entry)
    const notes: string[] = []
    expect(readRpmPackages(index, undefined, notes)).toHaveLength(2)
    expect(notes).toEqual([
      '/var/lib/rpm/rpmdb.sqlite-wal: 4096 bytes of changes not checkpointed into the rpm database are not read',
    ])
  })
})

describe('readRpmPackages on databases it cannot read', () => {
  test.each([
    ['not sqlite', Buffer.from('hello, I am not a database'), 'not an sqlite database'],
    ['sqlite without a Packages table', sqliteWithout(), 'no such table: Packages'],
  ])('%s: a note, no packages', (_, bytes, reason) => {
    const notes: string[] = []
    expect(readRpmPackages(indexWith('/var/lib/rpm/rpmdb.sqlite', bytes), undefined, notes)).toEqual([])
    expect(notes).toHaveLength(1)
    expect(notes[0]).toContain(`/var/lib/rpm/rpmdb.sqlite: cannot read the rpm database (${reason}`)
  })

  test('a BerkeleyDB rpmdb (RHEL 8) is named as unread', () => {
    const notes: string[] = []
    const index = fileIndexOf([{ path: '/var/lib/rpm/Packages', type: 'file' }])
    expect(readRpmPackages(index, undefined, notes)).toEqual([])
    expect(notes).toEqual([
      '/var/lib/rpm/Packages: rpm database in a BerkeleyDB or ndb backend, which imgtest does not read; rpm packages are not listed',
    ])
  })

  test('an rpmdb in the index but not captured is named', () => {
    const notes: string[] = []
    const index = fileIndexOf([{ path: '/var/lib/rpm/rpmdb.sqlite', type: 'file', size: 100 << 20 }])
    expect(readRpmPackages(index, undefined, notes)).toEqual([])
    expect(notes).toEqual([
      '/var/lib/rpm/rpmdb.sqlite: rpm database not captured (too big?); its packages are not listed',
    ])
  })
})

// A copy of an sqlite database with one SQL statement applied, through a temp file that is removed.
function edited(bytes: Buffer, sql: string): Buffer {
  const { DatabaseSync } = process.getBuiltinModule('node:sqlite') as typeof import('node:sqlite')
  const dir = mkdtempSync(join(tmpdir(), 'imgtest-rpm-test-'))
  try {
    const file = join(dir, 'rpmdb.sqlite')
    writeFileSync(file, bytes)
    const db = new DatabaseSync(file)
    db.exec(sql)
    // Back to one self-contained file, as rpm leaves it.
    db.exec('PRAGMA wal_checkpoint(TRUNCATE)')
    db.close()
    return readFileSync(file)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

// A valid sqlite file with some other table, made with node:sqlite itself.
function sqliteWithout(): Buffer {
  const { DatabaseSync } = process.getBuiltinModule('node:sqlite') as typeof import('node:sqlite')
  const dir = mkdtempSync(join(tmpdir(), 'imgtest-rpm-test-'))
  try {
    const file = join(dir, 'x.sqlite')
    const db = new DatabaseSync(file)
    db.exec('CREATE TABLE other(x INTEGER)')
    db.close()
    return readFileSync(file)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
