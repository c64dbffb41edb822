import type { FileIndex } from '../file-index.ts'
import type { InstalledPackage, OsRelease } from './package.ts'
import { purlOf } from './package-url.ts'

export const APK_INSTALLED = '/lib/apk/db/installed'

interface ApkRecord {
  line: number
  fields: Map<string, string>
}

// apk's database: records separated by blank lines, one `X:value` per line, X a single letter. A record
// repeats F: (directory) and R: (file) lines; only the first value of each letter is kept here.
function records(text: string): { records: ApkRecord[]; problems: string[] } {
  const out: ApkRecord[] = []
  const problems: string[] = []
  let current: ApkRecord | undefined
  const lines = text.split('\n')
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] ?? ''
    if (line === '') {
      current = undefined
      continue
    }
    if (line[1] !== ':') {
      problems.push(`line ${index + 1}: not an "X:value" line: ${JSON.stringify(line.slice(0, 60))}`)
      continue
    }
    if (current === undefined) {
      current = { line: index + 1, fields: new Map() }
      out.push(current)
    }
    const key = line[0] ?? ''
    if (!current.fields.has(key)) current.fields.set(key, line.slice(2))
  }
  return { records: out, problems }
}

/**
 * Installed Alpine (and Wolfi) packages from `/lib/apk/db/installed`: P: name, V: version,
 * A: architecture, L: license, o: origin (the source package).
 *
 * @example
 * readApkPackages(index, { id: 'alpine', versionId: '3.19.1' }, notes)
 * // [{ ecosystem: 'apk', name: 'musl', version: '1.2.4_git20230717-r4', arch: 'x86_64', license: 'MIT', source: 'musl', purl: 'pkg:apk/alpine/musl@1.2.4_git20230717-r4?arch=x86_64&distro=alpine-3.19.1', foundIn: '/lib/apk/db/installed' }, …]
 */
export function readApkPackages(
  index: FileIndex,
  os: OsRelease | undefined,
  notes: string[],
): InstalledPackage[] {
  const content = index.contents.get(APK_INSTALLED)
  if (content === undefined) return []
  const parsed = records(content.toString('utf8'))
  for (const problem of parsed.problems) notes.push(`${APK_INSTALLED}: ${problem}; line skipped`)
  const packages: InstalledPackage[] = []
  for (const record of parsed.records) {
    const name = record.fields.get('P')
    const version = record.fields.get('V')
    if (!name || !version) {
      notes.push(
        `${APK_INSTALLED} line ${record.line}: package record without ${name ? 'V:' : 'P:'}; skipped`,
      )
      continue
    }
    const arch = record.fields.get('A') || undefined
    const license = record.fields.get('L') || undefined
    const source = record.fields.get('o') || undefined
    packages.push({
      ecosystem: 'apk',
      name,
      version,
      ...(arch ? { arch } : {}),
      ...(source ? { source } : {}),
      ...(license ? { license } : {}),
      purl: purlOf({ ecosystem: 'apk', name, version, ...(arch ? { arch } : {}), ...(os ? { os } : {}) }),
      foundIn: APK_INSTALLED,
    })
  }
  return packages
}
