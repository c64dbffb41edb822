/**
 * A CST pattern (Go's RE2 syntax) as a JavaScript RegExp. Both are unanchored searches; Go's
 * leading flag group `(?i)`, `(?s)`, `(?m)` (or a mix) becomes the JS flags, which JS lacks as
 * a prefix. Throws SyntaxError on a pattern neither accepts.
 *
 * @example
 * goRegExp('(?i)^debian').test('Debian GNU/Linux') // true
 */
export function goRegExp(pattern: string): RegExp {
  const prefix = /^\(\?([ims]+)\)/.exec(pattern)
  if (prefix === null) return new RegExp(pattern)
  return new RegExp(pattern.slice(prefix[0].length), [...new Set(prefix[1])].join(''))
}
