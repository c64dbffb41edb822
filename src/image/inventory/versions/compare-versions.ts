import * as pep440 from '@renovatebot/pep440'
import semver from 'semver'
import { ImgtestError } from '../../../errors.ts'
import type { Ecosystem } from '../package.ts'
import { apkVersionProblem, compareApkVersions } from './apk-version.ts'
import { compareDebianVersions, parseDebianVersion } from './debian-version.ts'
import { compareRpmVersions, parseRpmVersion } from './rpm-version.ts'

const NAMES: Record<Ecosystem, string> = {
  deb: 'Debian',
  apk: 'apk',
  rpm: 'rpm',
  npm: 'npm (semver)',
  pypi: 'PEP 440',
}

// npm installs what its registry accepted, which is semver; loose parsing forgives a leading `v` or `=`.
const npmVersion = (text: string): semver.SemVer | null => semver.parse(text.trim(), { loose: true })

/**
 * Why `version` cannot be ordered by `ecosystem`'s rules, or undefined when it can.
 *
 * @example
 * versionProblem('deb', '1.0-') // 'revision number is empty'
 * versionProblem('pypi', '1.0.post1') // undefined
 */
export function versionProblem(ecosystem: Ecosystem, version: string): string | undefined {
  switch (ecosystem) {
    case 'deb': {
      const parsed = parseDebianVersion(version)
      return parsed.ok ? undefined : parsed.reason
    }
    case 'apk':
      return apkVersionProblem(version)
    case 'rpm':
      return parseRpmVersion(version) === undefined ? 'not an rpm [epoch:]version[-release]' : undefined
    case 'npm':
      return npmVersion(version) === null ? 'not a semver version' : undefined
    case 'pypi':
      return pep440.valid(version.trim()) === null ? 'not a PEP 440 version' : undefined
  }
}

function order(result: number): -1 | 0 | 1 {
  return result < 0 ? -1 : result > 0 ? 1 : 0
}

/**
 * Orders two versions of one package by its ecosystem's rules: dpkg's for `deb`, apk-tools' for
 * `apk`, rpmvercmp with epoch and release for `rpm`, semver for `npm`, PEP 440 for `pypi`.
 * Throws IMGTEST_BAD_VERSION when either version cannot be parsed by those rules.
 *
 * @example
 * compareVersions('deb', '1:1.0-1', '2.0-1') // 1 (the epoch wins)
 * compareVersions('apk', '1.2.3_rc1-r0', '1.2.3-r0') // -1
 * compareVersions('pypi', '2.0.dev1', '2.0') // -1
 */
export function compareVersions(ecosystem: Ecosystem, a: string, b: string): -1 | 0 | 1 {
  for (const version of [a, b]) {
    const problem = versionProblem(ecosystem, version)
    if (problem !== undefined) {
      throw new ImgtestError(
        'IMGTEST_BAD_VERSION',
        `cannot order ${NAMES[ecosystem]} version "${version}": ${problem}`,
      )
    }
  }
  switch (ecosystem) {
    case 'deb': {
      const [pa, pb] = [parseDebianVersion(a), parseDebianVersion(b)]
      // Both parsed above; the checks only narrow the type.
      if (!pa.ok || !pb.ok) return 0
      return compareDebianVersions(pa.version, pb.version)
    }
    case 'apk':
      return compareApkVersions(a, b)
    case 'rpm': {
      const [pa, pb] = [parseRpmVersion(a), parseRpmVersion(b)]
      if (pa === undefined || pb === undefined) return 0
      return compareRpmVersions(pa, pb)
    }
    case 'npm': {
      const [pa, pb] = [npmVersion(a), npmVersion(b)]
      if (pa === null || pb === null) return 0
      return order(semver.compare(pa, pb))
    }
    case 'pypi':
      return order(pep440.compare(a.trim(), b.trim()))
  }
}
