/**
 * RPM version ordering: rpmvercmp from rpm 4.18 (rpmio/rpmvercmp.c) for version and release,
 * with the epoch compared first (rpmVersionCompare / rpm.ver in Lua).
 */

export interface RpmVersion {
  /** Absent epoch counts as 0. */
  epoch: number
  version: string
  /** Absent when the string had no `-release`. */
  release?: string
}

const isDigit = (c: string): boolean => c >= '0' && c <= '9'
const isAlpha = (c: string): boolean => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
const isAlnum = (c: string): boolean => isDigit(c) || isAlpha(c)

/**
 * rpmvercmp: alternating alphabetic and numeric segments, separators ignored, numbers newer
 * than letters, `~` older than anything (even the end), `^` newer than the end but older than
 * any other segment.
 *
 * @example
 * rpmvercmp('1.0~rc1', '1.0') // -1
 * rpmvercmp('1.0^git1', '1.0') // 1
 */
export function rpmvercmp(a: string, b: string): -1 | 0 | 1 {
  if (a === b) return 0
  let i = 0
  let j = 0
  const at = (s: string, k: number): string => s[k] ?? ''
  while (i < a.length || j < b.length) {
    while (i < a.length && !isAlnum(at(a, i)) && at(a, i) !== '~' && at(a, i) !== '^') i++
    while (j < b.length && !isAlnum(at(b, j)) && at(b, j) !== '~' && at(b, j) !== '^') j++
    const ca = at(a, i)
    const cb = at(b, j)
    if (ca === '~' || cb === '~') {
      if (ca !== '~') return 1
      if (cb !== '~') return -1
      i++
      j++
      continue
    }
    if (ca === '^' || cb === '^') {
      if (ca === '') return -1
      if (cb === '') return 1
      if (ca !== '^') return 1
      if (cb !== '^') return -1
      i++
      j++
      continue
    }
    if (ca === '' || cb === '') break
    const numeric = isDigit(ca)
    const inSegment = numeric ? isDigit : isAlpha
    let ei = i
    let ej = j
    while (ei < a.length && inSegment(at(a, ei))) ei++
    while (ej < b.length && inSegment(at(b, ej))) ej++
    // One numeric segment against an alphabetic one: the numeric one is newer.
    if (ej === j) return numeric ? 1 : -1
    let sa = a.slice(i, ei)
    let sb = b.slice(j, ej)
    if (numeric) {
      sa = sa.replace(/^0+/, '')
      sb = sb.replace(/^0+/, '')
      if (sa.length !== sb.length) return sa.length > sb.length ? 1 : -1
    }
    if (sa !== sb) return sa < sb ? -1 : 1
    i = ei
    j = ej
  }
  if (i >= a.length && j >= b.length) return 0
  return i >= a.length ? -1 : 1
}

/**
 * Splits `[epoch:]version[-release]` the way rpm's rpmverParse does: the epoch is the digits
 * before the first `:`, the release what follows the last `-`.
 *
 * @example
 * parseRpmVersion('1:2.5-3.fc39') // { epoch: 1, version: '2.5', release: '3.fc39' }
 */
export function parseRpmVersion(text: string): RpmVersion | undefined {
  let rest = text.trim()
  let epoch = 0
  const colon = /^(\d*):/.exec(rest)
  if (colon) {
    epoch = colon[1] === '' ? 0 : Number(colon[1])
    rest = rest.slice(colon[0].length)
  }
  const hyphen = rest.lastIndexOf('-')
  const version = hyphen === -1 ? rest : rest.slice(0, hyphen)
  if (version === '' || !Number.isSafeInteger(epoch)) return undefined
  return hyphen === -1 ? { epoch, version } : { epoch, version, release: rest.slice(hyphen + 1) }
}

/** Orders two parsed rpm versions as rpmverCmp does: epoch, version, release (a release beats none). */
export function compareRpmVersions(a: RpmVersion, b: RpmVersion): -1 | 0 | 1 {
  if (a.epoch !== b.epoch) return a.epoch < b.epoch ? -1 : 1
  const version = rpmvercmp(a.version, b.version)
  if (version !== 0) return version
  if (a.release === undefined || b.release === undefined) {
    return a.release === b.release ? 0 : a.release === undefined ? -1 : 1
  }
  return rpmvercmp(a.release, b.release)
}
