import { isImgtestError } from '../errors.ts'
import type { FileIndex } from '../image/file-index.ts'
import { licenseFilesOf } from '../image/inventory/license-files.ts'
import type { Ecosystem, InstalledPackage, Inventory } from '../image/inventory/package.ts'
import { compareVersions } from '../image/inventory/versions/compare-versions.ts'
import type { Finding } from './finding.ts'
import { newFinding } from './finding.ts'

/** One image as the package checks see it: its inventory and the index it was read from. */
export interface PackageSide {
  inventory: Inventory
  index: FileIndex
}

export interface PackageCheckOptions {
  /** Only these ecosystems are compared; default all. */
  ecosystems?: readonly Ecosystem[]
}

// PEP 503: PyYAML, pyyaml and py_yaml are one project. Other ecosystems' names are exact.
function nameKey(pkg: InstalledPackage): string {
  const name = pkg.ecosystem === 'pypi' ? pkg.name.toLowerCase().replace(/[-_.]+/g, '-') : pkg.name
  return `${pkg.ecosystem}:${name}`
}

function byKey(packages: readonly InstalledPackage[], ecosystems: ReadonlySet<Ecosystem> | undefined) {
  const groups = new Map<string, InstalledPackage[]>()
  for (const pkg of packages) {
    if (ecosystems !== undefined && !ecosystems.has(pkg.ecosystem)) continue
    const key = nameKey(pkg)
    const group = groups.get(key)
    if (group === undefined) groups.set(key, [pkg])
    else group.push(pkg)
  }
  return groups
}

const distinct = (group: readonly InstalledPackage[]): string[] => [
  ...new Set(group.map((pkg) => pkg.version)),
]
const shown = (versions: readonly string[]): string | string[] =>
  versions.length === 1 ? (versions[0] ?? '') : [...versions]
const label = (pkg: InstalledPackage): string => `${pkg.ecosystem} package ${pkg.name}`

// Newest first; throws IMGTEST_BAD_VERSION when the ecosystem cannot order one of them.
function newestFirst(ecosystem: Ecosystem, versions: readonly string[]): string[] {
  return versions.length < 2 ? [...versions] : [...versions].sort((a, b) => compareVersions(ecosystem, b, a))
}

/**
 * The downgrade finding for one package, if any. The i-th newest version rebuilt has must be at least
 * the i-th newest upstream had: one version each is the plain case; for npm or Python packages
 * installed several times (nested node_modules, several site-packages) each copy is held to the
 * copy of the same rank, and copies rebuilt no longer needs are not required.
 */
function downgradeOf(key: string, up: InstalledPackage[], re: InstalledPackage[]): Finding | undefined {
  const first = up[0] as InstalledPackage
  const upVersions = distinct(up)
  const reVersions = distinct(re)
  // Rebuilt still has every upstream version: nothing to order (and an unparseable but unchanged version passes).
  if (upVersions.every((version) => reVersions.includes(version))) return undefined
  let upSorted: string[]
  let reSorted: string[]
  try {
    upSorted = newestFirst(first.ecosystem, upVersions)
    reSorted = newestFirst(first.ecosystem, reVersions)
    for (let rank = 0; rank < Math.min(upSorted.length, reSorted.length); rank++) {
      const [upVersion, reVersion] = [upSorted[rank] ?? '', reSorted[rank] ?? '']
      if (compareVersions(first.ecosystem, reVersion, upVersion) >= 0) continue
      const all = upSorted.length > 1 || reSorted.length > 1
      return newFinding({
        check: 'packages.downgraded',
        key,
        upstream: upVersion,
        rebuilt: reVersion,
        message:
          `${label(first)} is older in rebuilt: ${reVersion} < ${upVersion} upstream` +
          (all ? ` (installed upstream: ${upSorted.join(', ')}; rebuilt: ${reSorted.join(', ')})` : ''),
      })
    }
    return undefined
  } catch (error) {
    if (!isImgtestError(error) || error.code !== 'IMGTEST_BAD_VERSION') throw error
    // Not knowing the order is not parity: say so instead of passing.
    return newFinding({
      check: 'packages.downgraded',
      key,
      upstream: shown(upVersions),
      rebuilt: shown(reVersions),
      message: `${label(first)}: cannot tell whether rebuilt ${reVersions.join(', ')} is older than upstream ${upVersions.join(', ')}: ${error.message}`,
    })
  }
}

/**
 * License files upstream shipped for a package that rebuilt no longer ships. With the same versions
 * on both sides every file must stay (by its path inside the package's license directory); across
 * versions the file names may change, so one license file left is enough.
 */
function licenseFindings(
  up: InstalledPackage[],
  upIndex: FileIndex,
  re: InstalledPackage[],
  reIndex: FileIndex,
): Finding[] {
  const upFiles = new Map<string, string>() // relative name → upstream path
  for (const pkg of up) {
    const found = licenseFilesOf(pkg, upIndex)
    for (const file of found?.files ?? []) if (!upFiles.has(file)) upFiles.set(file, `${found?.dir}/${file}`)
  }
  if (upFiles.size === 0) return []
  const reFiles = new Set<string>()
  const reDirs = new Set<string>()
  for (const pkg of re) {
    const found = licenseFilesOf(pkg, reIndex)
    if (found === undefined) continue
    reDirs.add(found.dir)
    for (const file of found.files) reFiles.add(file)
  }
  const sameVersions = distinct(up).sort().join('\n') === distinct(re).sort().join('\n')
  if (!sameVersions && reFiles.size > 0) return []
  const first = up[0] as InstalledPackage
  return [...upFiles]
    .filter(([file]) => !reFiles.has(file))
    .map(([file, path]) => {
      const elsewhere = [...reDirs].filter((dir) => `${dir}/${file}` !== path)
      return newFinding({
        check: 'license.missing',
        key: path,
        upstream: path,
        message:
          `license file of ${label(first)} missing in rebuilt: ${path}` +
          (elsewhere.length > 0 ? ` (looked for ${file} in ${elsewhere.join(', ')})` : ''),
      })
    })
}

/**
 * Package parity: every package upstream has must be in rebuilt (`packages.missing`, key
 * `<ecosystem>:<name>`) at the same or a newer version by its ecosystem's ordering
 * (`packages.downgraded`; a version the ordering cannot parse is a finding too, never a pass), and
 * every package both ship must keep the license files upstream had (`license.missing`, key = the
 * upstream path). Newer or extra packages in rebuilt are fine. A policy allows removals by key glob.
 *
 * @example
 * checkPackages({ inventory: readInventory(upIndex), index: upIndex }, { inventory: readInventory(reIndex), index: reIndex })
 * // [{ check: 'packages.missing', key: 'deb:tzdata', upstream: '2024a-0+deb12u1', allowed: false,
 * //    message: 'deb package tzdata (2024a-0+deb12u1) is installed upstream, not in rebuilt' }]
 * applyPolicy(findings, { allow: [{ check: 'packages.missing', key: 'deb:*-doc' }] })
 */
export function checkPackages(
  upstream: PackageSide,
  rebuilt: PackageSide,
  options: PackageCheckOptions = {},
): Finding[] {
  const ecosystems = options.ecosystems === undefined ? undefined : new Set(options.ecosystems)
  const up = byKey(upstream.inventory.packages, ecosystems)
  const re = byKey(rebuilt.inventory.packages, ecosystems)
  const keys = [...up.keys()].sort()
  const findings: Finding[] = []
  for (const key of keys) {
    const upGroup = up.get(key) ?? []
    const reGroup = re.get(key)
    const first = upGroup[0] as InstalledPackage
    if (reGroup === undefined) {
      const versions = distinct(upGroup)
      findings.push(
        newFinding({
          check: 'packages.missing',
          key,
          upstream: shown(versions),
          message: `${label(first)} (${versions.join(', ')}) is installed upstream, not in rebuilt`,
        }),
      )
      continue
    }
    const downgrade = downgradeOf(key, upGroup, reGroup)
    if (downgrade !== undefined) findings.push(downgrade)
  }
  for (const key of keys) {
    const reGroup = re.get(key)
    if (reGroup === undefined) continue
    findings.push(...licenseFindings(up.get(key) ?? [], upstream.index, reGroup, rebuilt.index))
  }
  return findings
}
