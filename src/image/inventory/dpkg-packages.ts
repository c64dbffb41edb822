import type { FileIndex } from '../file-index.ts'
import { parseStanzas, type Stanza } from './control-stanzas.ts'
import type { InstalledPackage, OsRelease } from './package.ts'
import { purlOf } from './package-url.ts'

export const DPKG_STATUS = '/var/lib/dpkg/status'
const STATUS_D = '/var/lib/dpkg/status.d/'

/**
 * dpkg states whose files are all on disk. The third word of `Status:` is the state; the others are
 * `not-installed` and `config-files` (removed, at most conffiles left: not counted, normal after a
 * removal) and `half-installed`, `unpacked`, `half-configured` (an interrupted install or upgrade:
 * not counted, with a note, since what is on disk is uncertain). `triggers-*` packages are configured
 * and wait only for another package's trigger. The first word (`install`, `hold`, `deinstall`) is
 * what the admin wants, not what is there, so it does not matter.
 */
const INSTALLED_STATES = new Set(['installed', 'triggers-awaited', 'triggers-pending'])
const BROKEN_STATES = new Set(['half-installed', 'unpacked', 'half-configured'])

/**
 * Installed Debian packages from `/var/lib/dpkg/status`, and from distroless images'
 * `/var/lib/dpkg/status.d/<package>` (one stanza per file, `.md5sums` files beside them skipped).
 *
 * @example
 * readDpkgPackages(index, { id: 'debian', versionId: '12' }, notes)
 * // [{ ecosystem: 'deb', name: 'bash', version: '5.2.15-2+b7', arch: 'amd64', source: 'bash', purl: 'pkg:deb/debian/bash@5.2.15-2%2Bb7?arch=amd64&distro=debian-12', foundIn: '/var/lib/dpkg/status' }, …]
 */
export function readDpkgPackages(
  index: FileIndex,
  os: OsRelease | undefined,
  notes: string[],
): InstalledPackage[] {
  const files = [...index.contents.keys()]
    .filter((path) => path === DPKG_STATUS || (path.startsWith(STATUS_D) && !path.endsWith('.md5sums')))
    .sort()
  const packages: InstalledPackage[] = []
  for (const path of files) {
    const text = index.contents.get(path)?.toString('utf8') ?? ''
    const { stanzas, problems } = parseStanzas(text)
    for (const problem of problems) notes.push(`${path}: ${problem}; line skipped`)
    for (const stanza of stanzas) {
      const pkg = fromStanza(stanza, path, os, notes, path !== DPKG_STATUS)
      if (pkg !== undefined) packages.push(pkg)
    }
  }
  return packages
}

function fromStanza(
  stanza: Stanza,
  path: string,
  os: OsRelease | undefined,
  notes: string[],
  distroless: boolean,
): InstalledPackage | undefined {
  const { fields } = stanza
  const where = `${path} line ${stanza.line}`
  const name = fields.get('package')
  const version = fields.get('version')
  if (!name || !version) {
    notes.push(`${where}: stanza without ${name ? 'Version' : 'Package'}; skipped`)
    return undefined
  }
  const status = fields.get('status')
  // distroless writes status.d stanzas that may leave Status out: the file exists because the package is installed.
  if (status !== undefined || !distroless) {
    const state = status?.split(/\s+/)[2]
    if (state === undefined || !INSTALLED_STATES.has(state)) {
      if (status === undefined) notes.push(`${where}: ${name} has no Status field; not counted as installed`)
      else if (state === undefined || BROKEN_STATES.has(state)) {
        notes.push(`${where}: ${name} has Status "${status}"; not counted as installed`)
      }
      return undefined
    }
  }
  const arch = fields.get('architecture') || undefined
  // `Source: name (version)` when the source version differs from the binary's, `Source: name` when only
  // the name does; no Source field means the source package has the binary's name and version.
  const sourceMatch = /^(\S+)(?:\s*\((.+)\))?$/.exec(fields.get('source') ?? '')
  const source = sourceMatch?.[1] ?? name
  const sourceVersion = sourceMatch?.[2]?.trim() || version
  return {
    ecosystem: 'deb',
    name,
    version,
    ...(arch ? { arch } : {}),
    source,
    sourceVersion,
    purl: purlOf({ ecosystem: 'deb', name, version, ...(arch ? { arch } : {}), ...(os ? { os } : {}) }),
    foundIn: path,
  }
}
