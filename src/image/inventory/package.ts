/** The package ecosystems imgtest inventories. */
export type Ecosystem = 'deb' | 'apk' | 'rpm' | 'pypi' | 'npm'

/** One installed package, as its package database (or metadata file) records it. */
export interface InstalledPackage {
  ecosystem: Ecosystem
  name: string
  version: string
  /** Architecture where the database records one (`amd64`, `x86_64`, `noarch`). */
  arch?: string
  /** Source package (dpkg `Source:`, apk origin, rpm sourcerpm) where known. */
  source?: string
  /** The source package's version where it differs from `version` or is recorded apart (dpkg `Source: name (version)`). */
  sourceVersion?: string
  /** License expression or text where the metadata has one. */
  license?: string
  /** The package URL (purl), e.g. `pkg:deb/debian/bash@5.2.15-2?arch=amd64&distro=debian-12`. */
  purl: string
  /** The file the package was read from: `/var/lib/dpkg/status`, `/usr/lib/python3/dist-packages/x.dist-info/METADATA`. */
  foundIn: string
}

/** The distribution of an image, from /etc/os-release. */
export interface OsRelease {
  id: string
  versionId?: string
  prettyName?: string
}

/** Every package of an image, from every database imgtest reads. */
export interface Inventory {
  os?: OsRelease
  packages: InstalledPackage[]
  /** What could not be read (a malformed stanza, an unreadable database), one line each, for reports. */
  notes?: string[]
}
