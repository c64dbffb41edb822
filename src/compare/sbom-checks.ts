import type { Ecosystem, InstalledPackage, Inventory } from '../image/inventory/package.ts'
import type { PackageIdentity } from '../report/sbom/package-identity.ts'
import {
  comparableName,
  identityOfPackage,
  identityOfPurl,
  sameVersion,
  sourceOf,
} from '../report/sbom/package-identity.ts'
import type { SbomComponent, SbomComponents } from '../report/sbom/read-sbom.ts'
import type { Finding } from './finding.ts'
import { newFinding } from './finding.ts'

// Components of these kinds are packages; files, containers, OS entries, data and the like are not checked.
const PACKAGE_KINDS = new Set(['library', 'application', 'framework', 'install'])

interface Installed {
  pkg: InstalledPackage
  id: PackageIdentity
  listed: boolean
}

/** A component in the terms the inventory can check, or undefined when imgtest cannot tell either way. */
interface Claim {
  component: SbomComponent
  /** From the purl; absent for a component without one (matched by name in every ecosystem). */
  id?: PackageIdentity
  name: string
  version?: string
  key: string
}

function claimOf(component: SbomComponent): Claim | undefined {
  const key = component.purl ?? `${component.name}${component.version ? `@${component.version}` : ''}`
  if (component.purl) {
    const id = identityOfPurl(component.purl)
    // A purl of a type imgtest does not inventory (generic, oci, golang, maven, …) cannot be checked.
    if (!id) return undefined
    return { component, id, name: id.name, ...(id.version ? { version: id.version } : {}), key }
  }
  if (component.type !== undefined && !PACKAGE_KINDS.has(component.type)) return undefined
  const name = component.group?.startsWith('@') ? `${component.group}/${component.name}` : component.name
  return { component, name, ...(component.version ? { version: component.version } : {}), key }
}

const archFits = (a?: string, b?: string) => a === undefined || b === undefined || a === b

function sameName(claim: Claim, installed: Installed): boolean {
  const ecosystem: Ecosystem = installed.pkg.ecosystem
  if (claim.id && claim.id.ecosystem !== ecosystem) return false
  return (
    comparableName(ecosystem, claim.name) === installed.id.name && archFits(claim.id?.arch, installed.id.arch)
  )
}

const versionFits = (claim: Claim, installed: Installed) =>
  claim.version === undefined || sameVersion(installed.pkg.ecosystem, claim.version, installed.pkg.version)

// Exactly the package the purl names: distro namespace and version too.
const samePurl = (claim: Claim, installed: Installed) =>
  claim.id !== undefined &&
  sameName(claim, installed) &&
  claim.id.distro === installed.id.distro &&
  versionFits(claim, installed)

const withoutEpoch = (version: string) => version.replace(/^\d+:/, '')

// Scanners (trivy, cdxgen) list the source packages of distro packages too: those are not missing binaries.
function isSourceOf(claim: Claim, installed: Installed, anyVersion: boolean): boolean {
  const source = sourceOf(installed.pkg)
  if (!source || (claim.id && claim.id.ecosystem !== installed.pkg.ecosystem)) return false
  if (
    comparableName(installed.pkg.ecosystem, claim.name) !==
    comparableName(installed.pkg.ecosystem, source.name)
  )
    return false
  return (
    anyVersion || claim.version === undefined || withoutEpoch(claim.version) === withoutEpoch(source.version)
  )
}

function describe(pkg: InstalledPackage): string {
  return `${pkg.ecosystem} package ${pkg.name} ${pkg.version}`
}

/**
 * Checks an SBOM against what is really installed: `sbom.absent` (listed but not installed;
 * key = the purl, or name@version), `sbom.unlisted` (installed but not listed; key = the
 * installed purl) and `sbom.version` (listed at another version; key = the installed purl).
 * In these findings `upstream` is what the SBOM says and `rebuilt` what the image holds.
 * Matching: purl first (type, namespace, name, version, arch), then ecosystem + name, then the
 * package's source package; components imgtest cannot check (files, other purl types) are skipped.
 * See docs/sbom.md.
 *
 * @example
 * checkSbom(readSbom(text, 'sbom.json'), inventory)
 * // [{ check: 'sbom.unlisted', key: 'pkg:deb/debian/curl@7.88.1-10?arch=amd64', rebuilt: '7.88.1-10', allowed: false, message: '…' }]
 */
export function checkSbom(sbom: SbomComponents, inventory: Inventory): Finding[] {
  const installed: Installed[] = inventory.packages.map((pkg) => ({
    pkg,
    id: identityOfPackage(pkg),
    listed: false,
  }))
  const findings = new Map<string, Finding>()
  const add = (finding: Finding) => findings.set(`${finding.check}\0${finding.key}`, finding)

  for (const component of sbom.components) {
    const claim = claimOf(component)
    if (!claim) continue
    // The version as the SBOM wrote it; a purl's when the entry has no version field.
    const listed = claim.component.version ?? claim.version
    const exact = installed.filter((i) => samePurl(claim, i))
    const byName = installed.filter((i) => sameName(claim, i))
    const sameVersionByName = byName.filter((i) => versionFits(claim, i))
    const matched = exact.length > 0 ? exact : sameVersionByName
    if (matched.length > 0) {
      for (const i of matched) i.listed = true
      continue
    }
    if (installed.some((i) => isSourceOf(claim, i, false))) continue
    const first = byName[0]
    if (first) {
      for (const i of byName) i.listed = true
      const versions = [...new Set(byName.map((i) => i.pkg.version))].join(', ')
      add(
        newFinding({
          check: 'sbom.version',
          key: first.pkg.purl,
          upstream: listed,
          rebuilt: versions,
          message: `${first.pkg.ecosystem} package ${first.pkg.name}: the SBOM (${sbom.where}) lists ${listed}, the image has ${versions}`,
        }),
      )
      continue
    }
    const source = installed.find((i) => isSourceOf(claim, i, true))
    if (source) {
      const version = sourceOf(source.pkg)?.version
      add(
        newFinding({
          check: 'sbom.version',
          key: claim.key,
          upstream: listed,
          rebuilt: version,
          message: `source package ${claim.name}: the SBOM (${sbom.where}) lists ${listed}, the image's ${source.pkg.name} was built from ${version}`,
        }),
      )
      continue
    }
    add(
      newFinding({
        check: 'sbom.absent',
        key: claim.key,
        upstream: listed ?? claim.component.name,
        message: `${claim.key} is listed in the SBOM (${sbom.where}, ${claim.component.at}) but not installed in the image`,
      }),
    )
  }

  for (const i of installed) {
    if (i.listed) continue
    add(
      newFinding({
        check: 'sbom.unlisted',
        key: i.pkg.purl,
        rebuilt: i.pkg.version,
        message: `${describe(i.pkg)} is installed (${i.pkg.foundIn}) but not listed in the SBOM (${sbom.where})`,
      }),
    )
  }
  return [...findings.values()]
}
