import { describe, expect, test } from 'vitest'
import { apkVersionProblem, compareApkVersions } from './apk-version.ts'

// [a, b, expected], following apk-tools' rules (src/version.c); each row says what it exercises.
const table: [string, string, -1 | 0 | 1][] = [
  ['1.2.3-r0', '1.2.3-r0', 0],
  ['1.2.3-r0', '1.2.3-r1', -1], // package revision
  ['1.2.3-r10', '1.2.3-r9', 1], // revisions are numbers
  ['1.2.3', '1.2.3-r0', -1], // a revision, even -r0, is newer than none
  ['1.2', '1.2.1', -1], // more components is newer
  ['1.10', '1.9', 1], // components are numbers
  ['1.2a', '1.2', 1], // a letter after the digits is newer
  ['1.2a', '1.2b', -1],
  ['1.2_alpha', '1.2', -1], // pre-release suffixes sort before the bare version
  ['1.2_alpha', '1.2_beta', -1],
  ['1.2_beta', '1.2_pre', -1],
  ['1.2_pre', '1.2_rc', -1],
  ['1.2_rc1', '1.2_rc2', -1], // suffix numbers
  ['1.2_rc', '1.2_rc1', -1],
  ['1.2_cvs', '1.2', 1], // post-release suffixes sort after it
  ['1.2_cvs', '1.2_svn', -1],
  ['1.2_svn', '1.2_git', -1],
  ['1.2_git', '1.2_hg', -1],
  ['1.2_hg', '1.2_p1', -1],
  ['1.2_p1', '1.2.1', -1], // a suffix ends the digits: 1.2_p1 is still 1.2
  ['1.2_alpha_pre2', '1.2_alpha', -1], // a pre-release suffix after a suffix sorts before its end
  ['1.2_rc1-r3', '1.2-r0', -1],
  ['1.02', '1.1', -1], // a leading zero compares as a string: "02" < "1"
  ['1.02', '1.010', 1], // "02" > "010" as strings
  ['1.0', '1.00', -1], // "0" < "00" as strings (a prefix sorts first)
  ['006', '1.0.0', 1], // the first component is always a number
  ['20240101', '3.19.1', 1],
  ['1.0.0_pre20191002222144-r0', '1.0.0_pre20210530193627-r0', -1], // numbers beyond 32 bits
  ['1.2.3~abc1-r0', '1.2.3~abc2-r0', -1], // commit hashes compare as strings
  ['1.2.3~abc1-r0', '1.2.3-r1', 1], // a hash ranks with the version, before the revision is looked at
  ['1.0', '1.0bc', -1], // apk's answer on an invalid version (b is invalid after the 'b')
]

describe('apk version ordering', () => {
  test.each(table)('%s vs %s is %i', (a, b, expected) => {
    expect(compareApkVersions(a, b)).toBe(expected)
    expect(compareApkVersions(b, a)).toBe(-expected || 0)
  })

  test.each([
    '1.2.3-r0',
    '1',
    '0.1.0_alpha2',
    '2.5.1a-r1',
    '1.0_p10-r0',
    '1.2.3~0123abcdef-r2',
    '3.9_pre20060124',
  ])('%s is valid', (version) => {
    expect(apkVersionProblem(version)).toBeUndefined()
  })

  test.each([
    ['', 'version string is empty'],
    ['v1.0', 'not a valid apk version: it must start with a digit'],
    ['1.0bc', 'not a valid apk version: "c" cannot follow "1.0b"'],
    ['1.0-1', 'not a valid apk version: "-1" cannot follow "1.0"'],
    ['1.0_foo', 'not a valid apk version: "_foo" cannot follow "1.0"'],
    ['1.0-r', 'not a valid apk version: "-r" cannot follow "1.0"'],
    ['1.0-r1-r2', 'not a valid apk version: "-r2" cannot follow "1.0-r1"'],
    ['1.', 'not a valid apk version: "." cannot follow "1"'],
    ['1.0~', 'not a valid apk version: "~" cannot follow "1.0"'],
    ['1.0a1', 'not a valid apk version: "1" cannot follow "1.0a"'],
  ])('%j is invalid: %s', (version, problem) => {
    expect(apkVersionProblem(version)).toBe(problem)
  })
})
