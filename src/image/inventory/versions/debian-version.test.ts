import { execFileSync } from 'node:child_process'
import { describe, expect, test } from 'vitest'
import { compareDebianVersions, parseDebianVersion } from './debian-version.ts'

function compare(a: string, b: string): number {
  const [pa, pb] = [parseDebianVersion(a), parseDebianVersion(b)]
  if (!pa.ok || !pb.ok) throw new Error(`bad version in test: ${a} or ${b}`)
  return compareDebianVersions(pa.version, pb.version)
}

// [a, b, expected]: each row says why it is there.
const table: [string, string, -1 | 0 | 1][] = [
  ['1.0', '1.0', 0],
  ['1.0', '1.0-0', 0], // an absent revision equals revision 0 (leading zeros are dropped)
  ['1.0-1', '1.0-2', -1],
  ['1:1.0', '2.0', 1], // the epoch wins over everything
  ['0:1.0', '1.0', 0], // epoch 0 is the default
  ['1.0~rc1', '1.0', -1], // ~ sorts before the end of the string
  ['1.0~~', '1.0~', -1], // and before another ~
  ['1.0~rc1', '1.0~rc1~1', 1],
  ['1.0a', '1.0', 1], // a letter after the end is newer
  ['1.0a', '1.0+', -1], // letters sort before non-letters
  ['1.0+', '1.0.', -1], // other characters by ASCII: + (43) < . (46)
  ['1.010', '1.9', 1], // digit runs compare as numbers
  ['1.001', '1.1', 0], // leading zeros are ignored
  ['2.36-9+deb12u14', '2.36-9+deb12u4', 1],
  ['252.39-1~deb12u2', '252.39-1', -1], // a backport sorts before the release it backports
  ['3.4-1+b5', '3.4-1+b6', -1], // binNMUs
  ['1.2.3-1', '1.2.3-1.1', -1],
  ['1:2.38.1-5+deb12u3', '2.38.1-5+deb12u3', 1],
  ['2023.3+deb12u2', '2023.3+deb12u10', -1],
  ['1.0-1-2', '1.0-1-10', -1], // the revision is after the last hyphen
  ['A1', 'a1', -1], // uppercase letters sort before lowercase (ASCII)
]

describe('Debian version ordering', () => {
  test.each(table)('%s vs %s is %i', (a, b, expected) => {
    expect(Math.sign(compare(a, b))).toBe(expected)
    expect(Math.sign(compare(b, a))).toBe(-expected || 0)
  })

  test('parse splits epoch, upstream and revision', () => {
    expect(parseDebianVersion('1:2.36-9+deb12u4')).toEqual({
      ok: true,
      version: { epoch: 1, upstream: '2.36', revision: '9+deb12u4' },
    })
    expect(parseDebianVersion(' 3.134 ')).toEqual({
      ok: true,
      version: { epoch: 0, upstream: '3.134', revision: '' },
    })
  })

  test.each([
    ['', 'version string is empty'],
    ['1.0 1', 'version string has embedded spaces'],
    [':1.0', 'epoch in version is empty'],
    ['a:1.0', 'epoch in version is not number'],
    ['1:', 'nothing after colon in version number'],
    ['1.0-', 'revision number is empty'],
    ['-1', 'version number is empty'],
    ['99999999999:1', 'epoch in version is too big'],
  ])('%j is rejected: %s', (text, reason) => {
    expect(parseDebianVersion(text)).toEqual({ ok: false, reason })
  })
})

// Versions from the Debian fixture's dpkg status plus edge cases; every pair is checked against dpkg.
const versions = [
  '0.24.1-2',
  '0.270',
  '1.0-2',
  '1.10.1-3+deb12u1',
  '1.3.4.20200120-3.1',
  '1.34+dfsg-1.2+deb12u1',
  '1:1.2.13.dfsg-1+deb12u1',
  '1:2.38.1-5+deb12u3',
  '1:2.66-4+deb12u3+b1',
  '2.36-9+deb12u14',
  '2.36-9+deb12u4',
  '2023.3+deb12u2',
  '2026f-0+deb12u1',
  '252.39-1~deb12u2',
  '252.39-1',
  '2:6.2.1+dfsg1-1.1',
  '3.4-1',
  '3.4-1+b5',
  '3.4-1+b6',
  '3.4-2.1',
  '37~deb12u1',
  '5.7-0.5~deb12u1',
  '1.0',
  '1.0-0',
  '1.0~rc1',
  '1.0~~',
  '1.0~',
  '1.0a',
  '1.0+',
  '1.0.',
  '1.010',
  '1.9',
  '1.001',
  '0:1.0',
  'a1',
  'A1',
  '1.0-1-2',
  '1.0-1-10',
  '1:0',
  '0',
  '00',
  '1.0~rc1-1~bpo1',
  '10:1',
  '1.2.3a~b',
  '1.2.3a~a',
  'abc',
  '1.0-a~',
  '2:1',
]

describe('Debian version ordering agrees with dpkg --compare-versions', () => {
  test(`all ${(versions.length * (versions.length - 1)) / 2} pairs of ${versions.length} versions`, () => {
    const pairs: [string, string][] = []
    for (let i = 0; i < versions.length; i++)
      for (let j = i + 1; j < versions.length; j++) pairs.push([versions[i] ?? '', versions[j] ?? ''])
    // One shell for every pair: dpkg answers with its exit status only.
    const script = `while IFS=$'\\t' read -r a b; do
      if dpkg --compare-versions "$a" lt "$b" 2>/dev/null; then echo -1
      elif dpkg --compare-versions "$a" eq "$b" 2>/dev/null; then echo 0
      else echo 1; fi
    done`
    const input = pairs.map(([a, b]) => `${a}\t${b}\n`).join('')
    const dpkg = execFileSync('bash', ['-c', script], { input, encoding: 'utf8' })
      .trim()
      .split('\n')
      .map(Number)
    const ours = pairs.map(([a, b]) => Math.sign(compare(a, b)))
    const disagreements = pairs.filter((_, k) => dpkg[k] !== ours[k]).map(([a, b]) => `${a} vs ${b}`)
    expect(disagreements).toEqual([])
    expect(dpkg).toHaveLength(pairs.length)
  })

  test('versions dpkg refuses are the ones we refuse', () => {
    for (const bad of ['1.0-', '1:', ':1', 'a:1', '1 0', '-1']) {
      const status = (() => {
        try {
          execFileSync('dpkg', ['--compare-versions', bad, 'lt', '1'], { stdio: 'ignore' })
          return 0
        } catch (error) {
          return (error as { status: number }).status
        }
      })()
      expect({ bad, status }).toEqual({ bad, status: 2 })
      expect(parseDebianVersion(bad).ok).toBe(false)
    }
  })
})
