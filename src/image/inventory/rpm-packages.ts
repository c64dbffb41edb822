import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { DatabaseSync } from 'node:sqlite'
import type { FileIndex } from '../file-index.ts'
import type { InstalledPackage, OsRelease } from './package.ts'
import { purlOf } from './package-url.ts'
import { headerNumber, headerString, parseRpmHeader, RPMTAG } from './rpm-header.ts'

/** Where rpm keeps its sqlite database: the classic path, and /usr/lib/sysimage (Fedora 36+, openSUSE). */
export const RPMDB_PATHS = ['/var/lib/rpm/rpmdb.sqlite', '/usr/lib/sysimage/rpm/rpmdb.sqlite']
// Older backends imgtest does not read: BerkeleyDB (RHEL 7/8, CentOS) and ndb (older openSUSE).
const OTHER_BACKENDS = [
  '/var/lib/rpm/Packages',
  '/var/lib/rpm/Packages.db',
  '/usr/lib/sysimage/rpm/Packages.db',
]

export interface RpmReadOptions {
  /** Open through a temp file even where node:sqlite can deserialize from memory (Node < 24.16 always does). */
  viaFile?: boolean
}

/**
 * Installed rpm packages from the sqlite rpmdb (rpm 4.16+): each row of `Packages` holds one
 * package's header. The version is `[epoch:]version-release`, as rpm orders them.
 *
 * @example
 * readRpmPackages(index, { id: 'fedora', versionId: '40' }, notes)
 * // [{ ecosystem: 'rpm', name: 'bash', version: '5.2.26-3.fc40', arch: 'x86_64', license: 'GPL-3.0-or-later', source: 'bash-5.2.26-3.fc40.src.rpm', purl: 'pkg:rpm/fedora/bash@5.2.26-3.fc40?arch=x86_64&distro=fedora-40', foundIn: '/usr/lib/sysimage/rpm/rpmdb.sqlite' }, …]
 */
export function readRpmPackages(
  index: FileIndex,
  os: OsRelease | undefined,
  notes: string[],
  options: RpmReadOptions = {},
): InstalledPackage[] {
  const packages: InstalledPackage[] = []
  let found = false
  for (const path of RPMDB_PATHS) {
    const content = index.contents.get(path)
    if (content === undefined) {
      if (index.entries.get(path)?.type === 'file') {
        notes.push(`${path}: rpm database not captured (too big?); its packages are not listed`)
      }
      continue
    }
    found = true
    const wal = index.entries.get(`${path}-wal`)
    if (wal !== undefined && wal.size > 0) {
      notes.push(
        `${path}-wal: ${wal.size} bytes of changes not checkpointed into the rpm database are not read`,
      )
    }
    for (const pkg of readDatabase(content, path, os, notes, options)) packages.push(pkg)
  }
  if (!found) {
    for (const path of OTHER_BACKENDS) {
      if (index.entries.has(path)) {
        notes.push(
          `${path}: rpm database in a BerkeleyDB or ndb backend, which imgtest does not read; rpm packages are not listed`,
        )
      }
    }
  }
  return packages
}

function readDatabase(
  bytes: Buffer,
  path: string,
  os: OsRelease | undefined,
  notes: string[],
  options: RpmReadOptions,
): InstalledPackage[] {
  const rows = (() => {
    try {
      return withDatabase(bytes, options, (db) =>
        db.prepare('SELECT hnum, blob FROM Packages ORDER BY hnum').all(),
      )
    } catch (error) {
      notes.push(
        `${path}: cannot read the rpm database (${(error as Error).message}); rpm packages are not listed`,
      )
      return []
    }
  })()
  const packages: InstalledPackage[] = []
  for (const row of rows) {
    const hnum = row.hnum
    const blob = row.blob
    if (!(blob instanceof Uint8Array)) {
      notes.push(`${path}: package ${String(hnum)} has no header blob; skipped`)
      continue
    }
    const parsed = parseRpmHeader(blob)
    if (!parsed.ok) {
      notes.push(`${path}: package ${String(hnum)}: ${parsed.reason}; skipped`)
      continue
    }
    const { header } = parsed
    const name = headerString(header, RPMTAG.NAME)
    const version = headerString(header, RPMTAG.VERSION)
    const release = headerString(header, RPMTAG.RELEASE)
    if (!name || !version || release === undefined) {
      notes.push(`${path}: package ${String(hnum)} has no name, version or release; skipped`)
      continue
    }
    // Imported signing keys are stored as pseudo-packages named gpg-pubkey: not software.
    if (name === 'gpg-pubkey') continue
    const epoch = headerNumber(header, RPMTAG.EPOCH)
    const arch = headerString(header, RPMTAG.ARCH)
    const license = headerString(header, RPMTAG.LICENSE)
    const source = headerString(header, RPMTAG.SOURCERPM)
    const vr = `${version}-${release}`
    packages.push({
      ecosystem: 'rpm',
      name,
      version: epoch === undefined ? vr : `${epoch}:${vr}`,
      ...(arch ? { arch } : {}),
      ...(source ? { source } : {}),
      ...(license ? { license } : {}),
      purl: purlOf({
        ecosystem: 'rpm',
        name,
        version: vr,
        ...(arch ? { arch } : {}),
        ...(epoch ? { epoch } : {}),
        ...(os ? { os } : {}),
      }),
      foundIn: path,
    })
  }
  return packages
}

const SQLITE_MAGIC = 'SQLite format 3\0'

/**
 * Opens a copy of the captured database bytes, runs `use`, and closes it; a temp file, when one is
 * needed, is always removed. The copy is switched from WAL to rollback-journal mode (header bytes
 * 18–19) because its -wal and -shm files are not there: the checkpointed content is what is read.
 */
function withDatabase<T>(bytes: Buffer, options: RpmReadOptions, use: (db: DatabaseSync) => T): T {
  if (bytes.length < 100 || bytes.toString('latin1', 0, 16) !== SQLITE_MAGIC) {
    throw new Error('not an sqlite database')
  }
  const copy = Buffer.from(bytes)
  if (copy[18] === 2) copy[18] = 1
  if (copy[19] === 2) copy[19] = 1
  const sqlite = process.getBuiltinModule('node:sqlite') as typeof import('node:sqlite') | undefined
  if (sqlite === undefined) throw new Error('this Node has no node:sqlite (Node 22.5+ has it)')
  const probe = new sqlite.DatabaseSync(':memory:')
  if (!options.viaFile && typeof probe.deserialize === 'function') {
    try {
      probe.deserialize(copy)
      return use(probe)
    } finally {
      probe.close()
    }
  }
  probe.close()
  const dir = mkdtempSync(join(tmpdir(), 'imgtest-rpmdb-'))
  try {
    const file = join(dir, 'rpmdb.sqlite')
    writeFileSync(file, copy)
    const db = new sqlite.DatabaseSync(file, { readOnly: true })
    try {
      return use(db)
    } finally {
      db.close()
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
