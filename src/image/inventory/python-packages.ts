import type { FileIndex } from '../file-index.ts'
import { parseStanzas } from './control-stanzas.ts'
import type { InstalledPackage } from './package.ts'
import { purlOf } from './package-url.ts'

const METADATA_FILE = /\.(dist-info\/METADATA|egg-info\/PKG-INFO)$/

// Beyond this a License field is the license's full text, not a name: classifiers say it better.
const MAX_LICENSE_NAME = 100

/**
 * The license as the metadata states it: PEP 639's License-Expression, else a short License field,
 * else the names in `License ::` classifiers.
 */
function licenseOf(fields: Map<string, string>): string | undefined {
  const expression = fields.get('license-expression')
  if (expression) return expression
  const license = fields.get('license')?.trim()
  if (license && license !== 'UNKNOWN' && !license.includes('\n') && license.length <= MAX_LICENSE_NAME) {
    return license
  }
  const names = (fields.get('classifier') ?? '')
    .split('\n')
    .filter((classifier) => classifier.startsWith('License ::'))
    .map((classifier) => classifier.split('::').at(-1)?.trim() ?? '')
    .filter((name) => name !== '' && name !== 'OSI Approved')
  return names.length > 0 ? names.join(', ') : undefined
}

/**
 * Installed Python distributions from `*.dist-info/METADATA` (pip, wheels) and `*.egg-info/PKG-INFO`
 * (setuptools, Debian's python3-* packages) anywhere in the image.
 *
 * @example
 * readPythonPackages(index, notes)
 * // [{ ecosystem: 'pypi', name: 'PyYAML', version: '6.0.1', license: 'MIT', purl: 'pkg:pypi/pyyaml@6.0.1', foundIn: '/usr/lib/python3/dist-packages/PyYAML-6.0.1.dist-info/METADATA' }, …]
 */
export function readPythonPackages(index: FileIndex, notes: string[]): InstalledPackage[] {
  const packages: InstalledPackage[] = []
  const paths = [...index.contents.keys()].filter((path) => METADATA_FILE.test(path)).sort()
  for (const path of paths) {
    const text = index.contents.get(path)?.toString('utf8') ?? ''
    const { stanzas } = parseStanzas(text, { firstOnly: true })
    const fields = stanzas[0]?.fields ?? new Map<string, string>()
    const name = fields.get('name')
    const version = fields.get('version')
    if (!name || !version) {
      notes.push(`${path}: no ${name ? 'Version' : 'Name'} in the metadata; skipped`)
      continue
    }
    const license = licenseOf(fields)
    packages.push({
      ecosystem: 'pypi',
      name,
      version,
      ...(license ? { license } : {}),
      purl: purlOf({ ecosystem: 'pypi', name, version }),
      foundIn: path,
    })
  }
  return packages
}
