import { type Finding, newFinding } from '../../src/compare/finding.ts'
import type { FileIndex } from '../../src/image/file-index.ts'
import { licenseFilesOf } from '../../src/image/inventory/license-files.ts'
import type { Inventory } from '../../src/image/inventory/package.ts'
import { resolvePath } from '../../src/image/resolve-path.ts'
import type { LicenseTest } from './structure-test-schema.ts'

/**
 * `structure.license` findings of one CST licenseTest, from the index: with `debian: true` every
 * dpkg package must ship `/usr/share/doc/<package>/copyright`; every path in `files` must exist.
 * Keys are the package name or the path.
 *
 * @example
 * checkLicense(index, inventory, { debian: true })
 */
export function checkLicense(index: FileIndex, inventory: Inventory, test: LicenseTest): Finding[] {
  const findings: Finding[] = []
  if (test.debian) {
    for (const pkg of inventory.packages) {
      if (pkg.ecosystem !== 'deb') continue
      const licenses = licenseFilesOf(pkg, index)
      if (licenses !== undefined && licenses.files.length === 0)
        findings.push(
          newFinding({
            check: 'structure.license',
            key: pkg.name,
            message: `package ${pkg.name}: expected a copyright file at ${licenses.dir}/copyright, there is none`,
          }),
        )
    }
  }
  for (const path of test.files ?? []) {
    const resolved = resolvePath(index, path)
    if (resolved.problem !== undefined)
      findings.push(
        newFinding({
          check: 'structure.license',
          key: path,
          message: `license file ${path}: expected, not found`,
        }),
      )
  }
  return findings
}
