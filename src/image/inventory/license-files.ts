import type { FileIndex } from '../file-index.ts'
import { resolvePath } from '../resolve-path.ts'
import type { InstalledPackage } from './package.ts'

/** Where a package keeps its license texts, and which are there. */
export interface LicenseFiles {
  /** The package's license directory: `/usr/share/doc/<name>`, `/usr/share/licenses/<name>`, the dist-info or package dir. */
  dir: string
  /** Files inside `dir` (relative paths), so images that put the package elsewhere can be compared. */
  files: string[]
}

// LICENSE, LICENCE.md, LICENSE-MIT, COPYING.LIB, NOTICE, COPYRIGHT, UNLICENSE: what packagers and npm treat as license texts.
const LICENSE_NAME = /^(un)?(licen[cs]e|copying|copyright|notice)([-._].*)?$/i
const RPM_LICENSES = '/usr/share/licenses/'
// PEP 639: a wheel's license files go under <name>.dist-info/licenses/.
const DIST_INFO_LICENSES = /^(.*\.(?:dist|egg)-info)\/(licenses\/.+)$/

// Directory → license-like files below it, built once per index: one pass over every entry.
const candidates = new WeakMap<FileIndex, Map<string, Set<string>>>()

function candidatesOf(index: FileIndex): Map<string, Set<string>> {
  let byDir = candidates.get(index)
  if (byDir !== undefined) return byDir
  byDir = new Map()
  const add = (dir: string, file: string) => {
    let files = byDir?.get(dir)
    if (files === undefined) {
      files = new Set()
      byDir?.set(dir, files)
    }
    files.add(file)
  }
  for (const [path, entry] of index.entries) {
    if (entry.type === 'dir') continue
    if (path.startsWith(RPM_LICENSES)) {
      const slash = path.indexOf('/', RPM_LICENSES.length)
      if (slash !== -1) add(path.slice(0, slash), path.slice(slash + 1))
      continue
    }
    const pep639 = DIST_INFO_LICENSES.exec(path)
    if (pep639) {
      add(pep639[1] ?? '', pep639[2] ?? '')
      continue
    }
    const slash = path.lastIndexOf('/')
    const base = path.slice(slash + 1)
    if (LICENSE_NAME.test(base)) add(slash === 0 ? '/' : path.slice(0, slash), base)
  }
  candidates.set(index, byDir)
  return byDir
}

const dirname = (path: string): string => path.slice(0, Math.max(1, path.lastIndexOf('/')))

/**
 * The license and copyright files a package ships, found in the image's index: dpkg's
 * `/usr/share/doc/<package>/copyright` (symlinked doc dirs followed inside the image, as Debian
 * links a library's doc dir to its source sibling's), rpm's `/usr/share/licenses/<name>/`, the
 * LICENSE/COPYING/NOTICE files of a Python dist-info (and its `licenses/`) or an npm package dir.
 * apk keeps licenses in its database only: undefined.
 *
 * @example
 * licenseFilesOf(libgcc, index) // { dir: '/usr/share/doc/libgcc-s1', files: ['copyright'] } (the dir links to gcc-12-base)
 */
export function licenseFilesOf(pkg: InstalledPackage, index: FileIndex): LicenseFiles | undefined {
  switch (pkg.ecosystem) {
    case 'deb': {
      // The doc dir is named after the package alone, also for Multi-Arch: same packages (never `name:arch`).
      const dir = `/usr/share/doc/${pkg.name.replace(/:.*$/, '')}`
      const resolved = resolvePath(index, `${dir}/copyright`)
      const present = resolved.problem === undefined && resolved.entry?.type === 'file'
      return { dir, files: present ? ['copyright'] : [] }
    }
    case 'rpm': {
      const dir = `${RPM_LICENSES}${pkg.name}`
      return { dir, files: [...(candidatesOf(index).get(dir) ?? [])].sort() }
    }
    case 'pypi':
    case 'npm': {
      const dir = dirname(pkg.foundIn)
      return { dir, files: [...(candidatesOf(index).get(dir) ?? [])].sort() }
    }
    case 'apk':
      return undefined
  }
}
