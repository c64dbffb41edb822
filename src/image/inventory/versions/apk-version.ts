/**
 * Alpine (apk) version ordering, as apk-tools 2.14 and 3.x implement it (src/version.c):
 * `digit{.digit}…{letter}{_suffix{number}}…{~hash}{-r#}`, compared token by token. Suffixes
 * `_alpha`, `_beta`, `_pre`, `_rc` sort before the bare version, `_cvs`, `_svn`, `_git`, `_hg`,
 * `_p` after it; a digit run with a leading zero compares as a string (Gentoo's rule).
 */

// Token kinds in the order apk allows them to follow each other.
const INITIAL_DIGIT = 0
const DIGIT = 1
const LETTER = 2
const SUFFIX = 3
const SUFFIX_NO = 4
const COMMIT_HASH = 5
const REVISION_NO = 6
const END = 7
const INVALID = 8

// Suffix ranks: pre-release ones below NONE (the bare version), post-release ones above.
const SUFFIXES: Record<string, number> = {
  alpha: 0,
  beta: 1,
  pre: 2,
  rc: 3,
  cvs: 5,
  svn: 6,
  git: 7,
  hg: 8,
  p: 9,
}
const SUFFIX_NONE = 4

interface Token {
  kind: number
  /** The token's text: digits, the letter, the suffix word or the hash. */
  value: string
  number: bigint
  suffix: number
}

class Tokenizer {
  readonly text: string
  pos = 0
  /** Where the token being read starts: the place to point at when it is invalid. */
  start = 0
  token: Token = { kind: INITIAL_DIGIT, value: '', number: 0n, suffix: SUFFIX_NONE }

  constructor(text: string) {
    this.text = text
    this.digits()
  }

  private span(pattern: RegExp): string {
    const match = pattern.exec(this.text.slice(this.pos))
    const value = match?.[0] ?? ''
    this.pos += value.length
    return value
  }

  private digits(): void {
    const value = this.span(/^\d*/)
    this.token.value = value
    this.token.number = value === '' ? 0n : BigInt(value)
    if (value === '') this.token.kind = INVALID
  }

  /** apk's token_next: the next token's kind from its first character, checked against the previous kind. */
  next(): void {
    const t = this.token
    this.start = this.pos
    if (this.pos >= this.text.length) {
      t.kind = END
      return
    }
    const c = this.text[this.pos] ?? ''
    if (c >= 'a' && c <= 'z') {
      if (t.kind > DIGIT) return this.invalid()
      t.value = c
      t.kind = LETTER
      this.pos++
    } else if (c === '.' || (c >= '0' && c <= '9')) {
      if (c === '.') {
        if (t.kind > DIGIT) return this.invalid()
        this.pos++
      }
      if (t.kind === INITIAL_DIGIT || t.kind === DIGIT) t.kind = DIGIT
      else if (t.kind === SUFFIX) t.kind = SUFFIX_NO
      else return this.invalid()
      this.digits()
    } else if (c === '_') {
      if (t.kind > SUFFIX_NO) return this.invalid()
      this.pos++
      t.value = this.span(/^[a-z]*/)
      const suffix = SUFFIXES[t.value]
      if (suffix === undefined) return this.invalid()
      t.suffix = suffix
      t.kind = SUFFIX
    } else if (c === '~') {
      if (t.kind >= COMMIT_HASH) return this.invalid()
      this.pos++
      t.value = this.span(/^[0-9a-f]*/)
      if (t.value === '') return this.invalid()
      t.kind = COMMIT_HASH
    } else if (c === '-') {
      if (t.kind >= REVISION_NO || this.text[this.pos + 1] !== 'r') return this.invalid()
      this.pos += 2
      t.kind = REVISION_NO
      this.digits()
    } else {
      this.invalid()
    }
  }

  private invalid(): void {
    this.token.kind = INVALID
  }
}

// apk_blob_sort: bytewise, then the shorter first.
function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

function compareTokens(a: Token, b: Token): number {
  switch (a.kind) {
    case DIGIT:
      // A leading zero on either side makes it a string comparison, as in Gentoo's spec.
      if (a.value.startsWith('0') || b.value.startsWith('0')) return compareStrings(a.value, b.value)
      return a.number < b.number ? -1 : a.number > b.number ? 1 : 0
    case INITIAL_DIGIT:
    case SUFFIX_NO:
    case REVISION_NO:
      return a.number < b.number ? -1 : a.number > b.number ? 1 : 0
    case LETTER:
      return compareStrings(a.value, b.value)
    case SUFFIX:
      return a.suffix - b.suffix
    default:
      return compareStrings(a.value, b.value)
  }
}

/**
 * Why apk would reject `version`, or undefined when it is valid (apk_version_validate).
 *
 * @example
 * apkVersionProblem('1.2.3-r0') // undefined
 * apkVersionProblem('1.0bc') // 'not a valid apk version: "c" cannot follow "1.0b"'
 */
export function apkVersionProblem(version: string): string | undefined {
  const tokens = new Tokenizer(version)
  while (tokens.token.kind < END) tokens.next()
  if (tokens.token.kind === END) return undefined
  if (version === '') return 'version string is empty'
  if (tokens.start === 0) return 'not a valid apk version: it must start with a digit'
  return `not a valid apk version: "${version.slice(tokens.start)}" cannot follow "${version.slice(0, tokens.start)}"`
}

/**
 * Orders two apk versions exactly as apk does, including its answers for invalid ones (they
 * compare up to the first invalid token).
 */
export function compareApkVersions(a: string, b: string): -1 | 0 | 1 {
  const ta = new Tokenizer(a)
  const tb = new Tokenizer(b)
  while (ta.token.kind === tb.token.kind && ta.token.kind < END) {
    const result = compareTokens(ta.token, tb.token)
    if (result !== 0) return result < 0 ? -1 : 1
    ta.next()
    tb.next()
  }
  const ka = ta.token.kind
  const kb = tb.token.kind
  if (ka === kb) return 0
  // The longer version is newer, unless what it has more of is a pre-release suffix.
  if (ka === SUFFIX && ta.token.suffix < SUFFIX_NONE) return -1
  if (kb === SUFFIX && tb.token.suffix < SUFFIX_NONE) return 1
  if (ka > kb) return -1
  if (kb > ka) return 1
  return 0
}
