/**
 * Debian version ordering, as dpkg implements it (lib/dpkg/version.c and parsehelp.c):
 * `[epoch:]upstream[-revision]`, compared epoch first, then upstream, then revision, each part
 * by alternating runs of non-digits (letters before other characters, `~` before everything,
 * even the end) and digit runs compared as numbers.
 */

export interface DebianVersion {
  epoch: number
  upstream: string
  revision: string
}

/** Either a parsed version or why dpkg rejects it. */
export type DebianParse = { ok: true; version: DebianVersion } | { ok: false; reason: string }

const MAX_EPOCH = 2_147_483_647

/**
 * Parses a version the way dpkg's parseversion does. Only what dpkg treats as an error fails
 * (empty parts, a bad epoch, embedded spaces); what dpkg merely warns about (an upstream
 * version not starting with a digit, odd characters) still parses and compares, as in dpkg.
 *
 * @example
 * parseDebianVersion('1:2.36-9+deb12u4') // { ok: true, version: { epoch: 1, upstream: '2.36', revision: '9+deb12u4' } }
 */
export function parseDebianVersion(text: string): DebianParse {
  const trimmed = text.trim()
  if (trimmed === '') return { ok: false, reason: 'version string is empty' }
  if (/\s/.test(trimmed)) return { ok: false, reason: 'version string has embedded spaces' }
  let rest = trimmed
  let epoch = 0
  const colon = rest.indexOf(':')
  if (colon !== -1) {
    const epochText = rest.slice(0, colon)
    if (epochText === '') return { ok: false, reason: 'epoch in version is empty' }
    if (!/^\d+$/.test(epochText)) return { ok: false, reason: 'epoch in version is not number' }
    epoch = Number(epochText)
    if (epoch > MAX_EPOCH) return { ok: false, reason: 'epoch in version is too big' }
    rest = rest.slice(colon + 1)
    if (rest === '') return { ok: false, reason: 'nothing after colon in version number' }
  }
  let revision = ''
  const hyphen = rest.lastIndexOf('-')
  if (hyphen !== -1) {
    revision = rest.slice(hyphen + 1)
    if (revision === '') return { ok: false, reason: 'revision number is empty' }
    rest = rest.slice(0, hyphen)
  }
  if (rest === '') return { ok: false, reason: 'version number is empty' }
  return { ok: true, version: { epoch, upstream: rest, revision } }
}

const isDigit = (code: number): boolean => code >= 48 && code <= 57
const isAlpha = (code: number): boolean => (code >= 65 && code <= 90) || (code >= 97 && code <= 122)

// dpkg's order(): digits 0 (they end a non-digit run), letters their code, `~` below the end of
// the string (0), anything else above every letter.
function order(code: number): number {
  if (Number.isNaN(code) || isDigit(code)) return 0
  if (isAlpha(code)) return code
  if (code === 126) return -1
  return code + 256
}

/** dpkg's verrevcmp over one part (upstream version or revision). */
export function compareDebianPart(a: string, b: string): number {
  let i = 0
  let j = 0
  while (i < a.length || j < b.length) {
    let firstDiff = 0
    while ((i < a.length && !isDigit(a.charCodeAt(i))) || (j < b.length && !isDigit(b.charCodeAt(j)))) {
      const ac = order(a.charCodeAt(i))
      const bc = order(b.charCodeAt(j))
      if (ac !== bc) return ac - bc
      i++
      j++
    }
    while (a.charCodeAt(i) === 48) i++
    while (b.charCodeAt(j) === 48) j++
    while (isDigit(a.charCodeAt(i)) && isDigit(b.charCodeAt(j))) {
      if (firstDiff === 0) firstDiff = a.charCodeAt(i) - b.charCodeAt(j)
      i++
      j++
    }
    if (isDigit(a.charCodeAt(i))) return 1
    if (isDigit(b.charCodeAt(j))) return -1
    if (firstDiff !== 0) return firstDiff
  }
  return 0
}

/** Orders two parsed Debian versions: epoch, then upstream version, then revision. */
export function compareDebianVersions(a: DebianVersion, b: DebianVersion): -1 | 0 | 1 {
  if (a.epoch !== b.epoch) return a.epoch < b.epoch ? -1 : 1
  const result = compareDebianPart(a.upstream, b.upstream) || compareDebianPart(a.revision, b.revision)
  return result < 0 ? -1 : result > 0 ? 1 : 0
}
