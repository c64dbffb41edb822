import { PackageURL } from 'packageurl-js'
import type { InstalledPackage, OsRelease } from '../../image/inventory/package.ts'

// The purl types of imgtest's ecosystems: each Ecosystem is its own purl type.
const DISTRO_TYPES = new Set(['deb', 'apk', 'rpm'])

/**
 * The package's purl as a PackageURL: the one the inventory recorded, or, when that does not
 * parse, one built from its fields (distro packages take the OS id as namespace).
 *
 * @example
 * packagePurl({ ecosystem: 'deb', name: 'bash', version: '5.2.15-2', arch: 'amd64', purl: 'pkg:deb/debian/bash@5.2.15-2?arch=amd64', foundIn: '/var/lib/dpkg/status' })
 * // PackageURL { type: 'deb', namespace: 'debian', name: 'bash', version: '5.2.15-2', qualifiers: { arch: 'amd64' } }
 */
export function packagePurl(pkg: InstalledPackage, os?: OsRelease): PackageURL {
  try {
    return PackageURL.fromString(pkg.purl)
  } catch {}
  const qualifiers: Record<string, string> = {}
  if (pkg.arch) qualifiers.arch = pkg.arch
  let namespace: string | undefined
  let name = pkg.name
  if (DISTRO_TYPES.has(pkg.ecosystem)) {
    namespace = os?.id
    if (os?.id && os.versionId) qualifiers.distro = `${os.id}-${os.versionId}`
  } else if (pkg.ecosystem === 'npm' && name.startsWith('@') && name.includes('/')) {
    namespace = name.slice(0, name.indexOf('/'))
    name = name.slice(name.indexOf('/') + 1)
  }
  return new PackageURL(pkg.ecosystem, namespace, name, pkg.version, qualifiers)
}

/** Inventory packages in a stable order (purl, then where found), so SBOMs come out the same each run. */
export function sortedPackages(packages: readonly InstalledPackage[]): InstalledPackage[] {
  return [...packages].sort(
    (a, b) =>
      byCodeUnit(a.purl, b.purl) ||
      byCodeUnit(a.foundIn, b.foundIn) ||
      byCodeUnit(a.name, b.name) ||
      byCodeUnit(a.version, b.version),
  )
}

// Not localeCompare: the order must not depend on the machine's locale.
function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
