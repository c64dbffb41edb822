import { execFileSync } from 'node:child_process'
import { describe, expect, test } from 'vitest'
import { compareRpmVersions, parseRpmVersion, rpmvercmp } from './rpm-version.ts'

// [a, b, expected] for rpmvercmp alone; each row says what it exercises.
const segments: [string, string, -1 | 0 | 1][] = [
  ['1.0', '1.0', 0],
  ['1.0', '1.0.1', -1],
  ['2.10', '2.9', 1], // numbers compare as numbers
  ['1.001', '1.1', 0], // leading zeros are dropped
  ['1.0a', '1.0', 1], // more segments is newer
  ['1a', '1.1', -1], // a letter segment is older than a number segment
  ['1.0_1', '1.0.1', 0], // separators do not matter, only segments
  ['1.0~rc1', '1.0', -1], // ~ is older than anything, even the end
  ['1.0~rc1', '1.0~rc2', -1],
  ['1.0^git1', '1.0', 1], // ^ is newer than the end
  ['1.0^git1', '1.0.1', -1], // but older than another segment
  ['abc', 'abd', -1],
  ['FC39', 'fc39', -1], // letters compare by ASCII
]

describe('rpmvercmp', () => {
  test.each(segments)('%s vs %s is %i', (a, b, expected) => {
    expect(rpmvercmp(a, b)).toBe(expected)
    expect(rpmvercmp(b, a)).toBe(-expected || 0)
  })
})

describe('rpm [epoch:]version-release', () => {
  test('parse', () => {
    expect(parseRpmVersion('1:2.5-3.fc39')).toEqual({ epoch: 1, version: '2.5', release: '3.fc39' })
    expect(parseRpmVersion('2.5')).toEqual({ epoch: 0, version: '2.5' })
    expect(parseRpmVersion(':2.5-1')).toEqual({ epoch: 0, version: '2.5', release: '1' })
    expect(parseRpmVersion('')).toBeUndefined()
    expect(parseRpmVersion('1:-3')).toBeUndefined()
  })

  test.each([
    ['1:1.0-1', '2.0-1', 1], // the epoch wins
    ['0:1.0-1', '1.0-1', 0], // epoch 0 is the default
    ['1.0-2', '1.0-10', -1], // releases compare like versions
    ['1.0-1.el9', '1.0-1.el9_2', -1],
    ['1.0', '1.0-5', -1], // a release is newer than none (rpmverCmp)
  ] as [string, string, number][])('%s vs %s is %i', (a, b, expected) => {
    const [pa, pb] = [parseRpmVersion(a), parseRpmVersion(b)]
    if (pa === undefined || pb === undefined) throw new Error('unparsed')
    expect(compareRpmVersions(pa, pb)).toBe(expected)
  })
})

// Segment edge cases (no epoch or release, so rpm.vercmp is plain rpmvercmp), then whole EVRs.
const segmentVersions = [
  '1.0',
  '1.0.1',
  '2.10',
  '2.9',
  '1.001',
  '1.1',
  '1.0a',
  '1a',
  '1.0_1',
  '1.0~rc1',
  '1.0~rc2',
  '1.0^git1',
  '1.0^',
  '1.0~',
  '1.0~~',
  'abc',
  'abd',
  'FC39',
  'fc39',
  '1.2.3',
  '1.2.3.fc39',
  '0.9',
  '10',
  '1..0',
  '1.0.',
  '1.0^git1~rc1',
  '020',
  '20',
  'a1b2',
  'a1b3',
  '1.0+git',
  '1.0.0',
  '1.0_',
  '_1.0',
  '1.0^1^2',
  '1.0^1~2',
]
const evrVersions = [
  '1.0',
  '1.0-1',
  '1.0-2',
  '1.0-10',
  '1:1.0-1',
  '0:1.0-1',
  '2:0.1',
  '1:2.0-1',
  '1.0.1-1',
  '5.4.0-1.el9',
  '5.4.0-1.el9_2',
  '5.4.0-1.el9~bootstrap',
  '1.0~rc1-1',
  '1.0-1.fc39',
  '1.0-1^post',
  '10:0-0',
]

function allPairs(list: string[]): [string, string][] {
  const pairs: [string, string][] = []
  for (let i = 0; i < list.length; i++)
    for (let j = i + 1; j < list.length; j++) pairs.push([list[i] ?? '', list[j] ?? ''])
  return pairs
}

// One rpm process answers every pair: the Lua table of pairs is built from JSON-escaped strings.
function rpmLua(pairs: [string, string][], body: string): number[] {
  const list = pairs.map(([a, b]) => `{${JSON.stringify(a)},${JSON.stringify(b)}}`).join(',')
  const script = `local out = {} for _, p in ipairs({${list}}) do ${body} end print(table.concat(out, " "))`
  const output = execFileSync('rpm', ['--eval', `%{lua: ${script}}`], { encoding: 'utf8' })
  return output.trim().split(' ').map(Number)
}

describe('rpm ordering agrees with rpm itself (rpm.vercmp and rpm.ver in its Lua)', () => {
  const segmentPairs = allPairs(segmentVersions)
  const evrPairs = allPairs([...evrVersions, ...segmentVersions.slice(0, 12)])

  test(`rpmvercmp on all ${segmentPairs.length} pairs of version segments`, () => {
    const rpm = rpmLua(segmentPairs, 'out[#out + 1] = rpm.vercmp(p[1], p[2])')
    expect(rpm).toHaveLength(segmentPairs.length)
    const disagreements = segmentPairs.filter(
      ([a, b], k) => rpmvercmp(a, b) !== Math.sign(rpm[k] ?? Number.NaN),
    )
    expect(disagreements).toEqual([])
  })

  test(`epoch:version-release on all ${evrPairs.length} pairs`, () => {
    const rpm = rpmLua(
      evrPairs,
      'local a, b = rpm.ver(p[1]), rpm.ver(p[2]) out[#out + 1] = (a < b and -1) or (a == b and 0) or 1',
    )
    expect(rpm).toHaveLength(evrPairs.length)
    const disagreements = evrPairs.filter(([a, b], k) => {
      const [pa, pb] = [parseRpmVersion(a), parseRpmVersion(b)]
      return pa === undefined || pb === undefined || compareRpmVersions(pa, pb) !== rpm[k]
    })
    expect(disagreements).toEqual([])
  })
})
