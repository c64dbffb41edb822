import type { FileIndex } from '../file-index.ts'
import type { InstalledPackage } from './package.ts'
import { purlOf } from './package-url.ts'

// A package's own package.json: node_modules/<name>/ or node_modules/@<scope>/<name>/.
const PACKAGE_JSON = /\/node_modules\/(@[^/]+\/)?[^/@][^/]*\/package\.json$/

// `license: "MIT"`, the old `license: { type }` and `licenses: [{ type }]` forms.
function licenseOf(json: Record<string, unknown>): string | undefined {
  const { license, licenses } = json
  if (typeof license === 'string' && license !== '') return license
  const typeOf = (value: unknown): string | undefined => {
    const type = (value as { type?: unknown } | null)?.type
    return typeof type === 'string' && type !== '' ? type : undefined
  }
  if (license && typeof license === 'object') return typeOf(license)
  if (Array.isArray(licenses)) {
    const types = licenses.map(typeOf).filter((type) => type !== undefined)
    return types.length > 0 ? types.join(' OR ') : undefined
  }
  return undefined
}

/**
 * Installed Node packages from every `node_modules/*\/package.json` and
 * `node_modules/@scope/*\/package.json` in the image (nested node_modules included).
 *
 * @example
 * readNpmPackages(index, notes)
 * // [{ ecosystem: 'npm', name: '@babel/core', version: '7.24.0', license: 'MIT', purl: 'pkg:npm/%40babel/core@7.24.0', foundIn: '/app/node_modules/@babel/core/package.json' }, …]
 */
export function readNpmPackages(index: FileIndex, notes: string[]): InstalledPackage[] {
  const packages: InstalledPackage[] = []
  const paths = [...index.contents.keys()].filter((path) => PACKAGE_JSON.test(path)).sort()
  for (const path of paths) {
    let json: unknown
    try {
      json = JSON.parse(index.contents.get(path)?.toString('utf8') ?? '')
    } catch (error) {
      notes.push(`${path}: not valid JSON (${(error as Error).message}); skipped`)
      continue
    }
    if (json === null || typeof json !== 'object' || Array.isArray(json)) {
      notes.push(`${path}: not a JSON object; skipped`)
      continue
    }
    const record = json as Record<string, unknown>
    const { name, version } = record
    if (typeof name !== 'string' || name === '' || typeof version !== 'string' || version === '') {
      notes.push(`${path}: no string "name" and "version"; skipped`)
      continue
    }
    const license = licenseOf(record)
    packages.push({
      ecosystem: 'npm',
      name,
      version,
      ...(license ? { license } : {}),
      purl: purlOf({ ecosystem: 'npm', name, version }),
      foundIn: path,
    })
  }
  return packages
}
