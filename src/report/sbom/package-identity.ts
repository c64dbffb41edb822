import * as pep440 from '@renovatebot/pep440'
import { PackageURL } from 'packageurl-js'
import type { Ecosystem, InstalledPackage } from '../../image/inventory/package.ts'

/**
 * What makes two package records the same package, for matching an SBOM against an inventory:
 * ecosystem, the distro namespace, the name as the ecosystem compares names, version and arch.
 */
export interface PackageIdentity {
  ecosystem: Ecosystem
  /** The distro for deb/apk/rpm (`debian`, `alpine`); undefined for language packages. */
  distro?: string
  /** The name in its ecosystem's comparable form: npm scope included, PyPI names PEP 503-normalised. */
  name: string
  version?: string
  arch?: string
}

const ECOSYSTEMS: ReadonlySet<string> = new Set<Ecosystem>(['deb', 'apk', 'rpm', 'pypi', 'npm'])
const DISTRO: ReadonlySet<string> = new Set<Ecosystem>(['deb', 'apk', 'rpm'])

/** The ecosystem a purl type names, when imgtest inventories it. */
export function ecosystemOfPurlType(type: string): Ecosystem | undefined {
  const lower = type.toLowerCase()
  return ECOSYSTEMS.has(lower) ? (lower as Ecosystem) : undefined
}

/**
 * A package name as its ecosystem compares names: PyPI per PEP 503, npm and deb in lower case
 * (npm's registry and dpkg refuse upper case), apk and rpm as written.
 */
export function comparableName(ecosystem: Ecosystem, name: string): string {
  if (ecosystem === 'pypi') return name.toLowerCase().replace(/[-_.]+/g, '-')
  if (ecosystem === 'npm' || ecosystem === 'deb') return name.toLowerCase()
  return name
}

/** A version with a zero epoch dropped (`0:1.2` is `1.2` to dpkg and rpm), and a purl `epoch=` qualifier folded in. */
export function comparableVersion(ecosystem: Ecosystem, version: string, epoch?: string): string {
  let text = version.trim()
  if (DISTRO.has(ecosystem)) {
    if (epoch && epoch !== '0' && !/^\d+:/.test(text)) text = `${epoch}:${text}`
    text = text.replace(/^0+:/, '')
  }
  return text
}

/** Whether two versions of one ecosystem are the same version (PEP 440 equality for PyPI, `1.0` = `1.0.0`). */
export function sameVersion(ecosystem: Ecosystem, a: string, b: string): boolean {
  if (a === b) return true
  if (ecosystem === 'pypi' && pep440.valid(a) !== null && pep440.valid(b) !== null) return pep440.eq(a, b)
  return comparableVersion(ecosystem, a) === comparableVersion(ecosystem, b)
}

/**
 * The identity a purl names, or undefined when it does not parse or names no ecosystem imgtest
 * inventories (`pkg:generic/…`, `pkg:oci/…`).
 *
 * @example
 * identityOfPurl('pkg:deb/debian/libaudit1@3.0.9-1?arch=amd64&epoch=1')
 * // { ecosystem: 'deb', distro: 'debian', name: 'libaudit1', version: '1:3.0.9-1', arch: 'amd64' }
 */
export function identityOfPurl(purl: string): PackageIdentity | undefined {
  let parsed: PackageURL
  try {
    parsed = PackageURL.fromString(purl)
  } catch {
    return undefined
  }
  const ecosystem = ecosystemOfPurlType(parsed.type)
  if (!ecosystem) return undefined
  const scoped = ecosystem === 'npm' && parsed.namespace ? `${parsed.namespace}/${parsed.name}` : parsed.name
  const { arch, epoch } = parsed.qualifiers ?? {}
  return {
    ecosystem,
    ...(DISTRO.has(ecosystem) && parsed.namespace ? { distro: parsed.namespace.toLowerCase() } : {}),
    name: comparableName(ecosystem, scoped),
    ...(parsed.version ? { version: comparableVersion(ecosystem, parsed.version, epoch) } : {}),
    ...(arch ? { arch } : {}),
  }
}

/** The identity of an installed package: its purl's where that parses, else its fields. */
export function identityOfPackage(pkg: InstalledPackage): PackageIdentity {
  const fromPurl = identityOfPurl(pkg.purl)
  const name = comparableName(pkg.ecosystem, pkg.name)
  return {
    ecosystem: pkg.ecosystem,
    ...(fromPurl?.distro ? { distro: fromPurl.distro } : {}),
    name,
    version: comparableVersion(pkg.ecosystem, pkg.version),
    ...((pkg.arch ?? fromPurl?.arch) ? { arch: pkg.arch ?? fromPurl?.arch } : {}),
  }
}

/**
 * The source package a binary package was built from, with its version: `source` + `sourceVersion`,
 * dpkg's `name (version)`, an rpm `name-version-release.src.rpm`, or a bare name (same version as the binary).
 */
export function sourceOf(pkg: InstalledPackage): { name: string; version: string } | undefined {
  const source = pkg.source?.trim()
  if (!source) return undefined
  if (pkg.sourceVersion) return { name: source, version: pkg.sourceVersion }
  const withVersion = /^(\S+)\s+\((.+)\)$/.exec(source)
  if (withVersion?.[1] && withVersion[2]) return { name: withVersion[1], version: withVersion[2] }
  const srpm = /^(.+)-([^-]+-[^-]+)\.src\.rpm$/.exec(source)
  if (srpm?.[1] && srpm[2]) return { name: srpm[1], version: srpm[2] }
  return { name: source, version: pkg.version }
}
