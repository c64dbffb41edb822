import { describe, expect, test } from 'vitest'
import { ImgtestError } from '../../../errors.ts'
import type { Ecosystem } from '../package.ts'
import { compareVersions, versionProblem } from './compare-versions.ts'

// One table across ecosystems: the dispatch, and npm and PyPI rules (their libraries do the work).
const table: [Ecosystem, string, string, -1 | 0 | 1][] = [
  ['deb', '1:1.0-1', '2.0-1', 1],
  ['deb', '1.0~rc1-1', '1.0-1', -1],
  ['apk', '1.2.3_rc1-r0', '1.2.3-r0', -1],
  ['apk', '1.2.3-r1', '1.2.3-r0', 1],
  ['rpm', '1:1.0-1.el9', '2.0-1.el9', 1],
  ['rpm', '1.0-1.el9', '1.0-1.el9', 0],
  ['npm', '1.2.3', '1.2.10', -1],
  ['npm', '1.0.0-rc.1', '1.0.0', -1], // a prerelease sorts before its release
  ['npm', '1.0.0-alpha.10', '1.0.0-alpha.9', 1], // numeric prerelease identifiers compare as numbers
  ['npm', '1.0.0+build.2', '1.0.0+build.1', 0], // build metadata has no precedence
  ['npm', 'v1.0.0', '1.0.0', 0], // loose: a leading v is forgiven
  ['pypi', '2.0.dev1', '2.0', -1],
  ['pypi', '2.0a1', '2.0b1', -1],
  ['pypi', '2.0rc1', '2.0', -1],
  ['pypi', '2.0.post1', '2.0', 1],
  ['pypi', '1!1.0', '2.0', 1], // the epoch wins
  ['pypi', '1.0', '1.0.0', 0], // trailing zeros are equal in PEP 440
  ['pypi', '1.0+local.1', '1.0', 1], // a local version sorts after the public one
  ['pypi', '2.0.0-dev', '2.0.0.dev0', 0], // normalised spellings
]

describe('compareVersions', () => {
  test.each(table)('%s: %s vs %s is %i', (ecosystem, a, b, expected) => {
    expect(compareVersions(ecosystem, a, b)).toBe(expected)
    expect(compareVersions(ecosystem, b, a)).toBe(-expected || 0)
  })

  test.each([
    ['deb', '1.0-', 'revision number is empty'],
    ['apk', '1.0-1', 'not a valid apk version: "-1" cannot follow "1.0"'],
    ['rpm', '', 'not an rpm [epoch:]version[-release]'],
    ['npm', '1.0', 'not a semver version'],
    ['npm', 'latest', 'not a semver version'],
    ['pypi', '1.0-foo', 'not a PEP 440 version'],
  ] as [Ecosystem, string, string][])('%s rejects %j: %s', (ecosystem, version, problem) => {
    expect(versionProblem(ecosystem, version)).toBe(problem)
    const error = (() => {
      try {
        compareVersions(ecosystem, '1.0.0', version)
      } catch (caught) {
        return caught
      }
    })()
    expect(error).toBeInstanceOf(ImgtestError)
    expect(error).toMatchObject({ code: 'IMGTEST_BAD_VERSION' })
    expect((error as Error).message).toContain(`"${version}": ${problem}`)
  })
})
