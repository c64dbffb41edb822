import { PackageURL } from 'packageurl-js'
import type { Ecosystem, OsRelease } from './package.ts'

export interface PurlInput {
  ecosystem: Ecosystem
  name: string
  /** For rpm, `version-release` without the epoch (purl keeps the epoch as a qualifier). */
  version: string
  arch?: string
  epoch?: number
  os?: OsRelease
}

// The purl spec names the distribution by vendor; fall back to the usual one when os-release is missing.
const DEFAULT_NAMESPACE: Partial<Record<Ecosystem, string>> = { deb: 'debian', apk: 'alpine' }

/**
 * The package URL of an installed package, as the purl spec and SBOM tools (Syft, Trivy) spell it:
 * distribution packages carry the distribution as namespace plus `arch` and `distro=<id>-<version>`
 * qualifiers, rpm its non-zero epoch; npm scopes become the namespace; PyPI names are normalised by
 * packageurl-js (lower case, `_` to `-`).
 *
 * @example
 * purlOf({ ecosystem: 'deb', name: 'bash', version: '5.2.15-2', arch: 'amd64', os: { id: 'debian', versionId: '12' } })
 * // 'pkg:deb/debian/bash@5.2.15-2?arch=amd64&distro=debian-12'
 * purlOf({ ecosystem: 'npm', name: '@babel/core', version: '7.24.0' }) // 'pkg:npm/%40babel/core@7.24.0'
 */
export function purlOf(input: PurlInput): string {
  const { ecosystem, version } = input
  if (ecosystem === 'npm' || ecosystem === 'pypi') {
    const slash = input.name.startsWith('@') ? input.name.indexOf('/') : -1
    const namespace = slash > 0 ? input.name.slice(0, slash) : undefined
    const name = slash > 0 ? input.name.slice(slash + 1) : input.name
    return new PackageURL(ecosystem, namespace, name, version, undefined, undefined).toString()
  }
  const namespace = input.os?.id ?? DEFAULT_NAMESPACE[ecosystem]
  const qualifiers: Record<string, string> = {}
  if (input.arch) qualifiers.arch = input.arch
  if (input.epoch) qualifiers.epoch = String(input.epoch)
  if (input.os?.versionId) qualifiers.distro = `${input.os.id}-${input.os.versionId}`
  const hasQualifiers = Object.keys(qualifiers).length > 0
  return new PackageURL(
    ecosystem,
    namespace,
    input.name,
    version,
    hasQualifiers ? qualifiers : undefined,
    undefined,
  ).toString()
}
