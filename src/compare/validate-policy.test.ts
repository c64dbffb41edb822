import { describe, expect, test } from 'vitest'
import { ImgtestError } from '../errors.ts'
import { validatePolicy } from './validate-policy.ts'

const WHERE = 'pair() in web.parity.test.ts'

function messageOf(value: unknown): string {
  try {
    validatePolicy(value, WHERE)
  } catch (error) {
    expect(error).toBeInstanceOf(ImgtestError)
    expect((error as ImgtestError).code).toBe('IMGTEST_BAD_POLICY')
    return (error as ImgtestError).message
  }
  throw new Error('expected validatePolicy to throw')
}

describe('validatePolicy', () => {
  test('accepts a valid policy and returns a clean copy', () => {
    const input = {
      $schema: './node_modules/imgtest/policy.schema.json',
      allow: [
        { check: 'interface.user', reason: 'non-root' },
        { check: 'interface.labels', key: 'org.*' },
      ],
    }
    const policy = validatePolicy(input, WHERE)
    expect(policy).toEqual({
      allow: [
        { check: 'interface.user', reason: 'non-root' },
        { check: 'interface.labels', key: 'org.*' },
      ],
    })
    input.allow[0] = { check: 'changed', reason: '' }
    expect(policy.allow?.[0]?.check).toBe('interface.user')
    expect(validatePolicy({}, WHERE)).toEqual({})
  })

  test('a misspelt rule key names it, its path, the source and the allowed keys', () => {
    expect(messageOf({ allow: [{ chek: 'interface.user' }] })).toBe(
      "unknown key 'chek' at /allow/0/chek in pair() in web.parity.test.ts; expected one of: check, key, suite, reason (did you mean 'check'?)",
    )
  })

  test('an unknown top-level key', () => {
    expect(messageOf({ allows: [] })).toBe(
      "unknown key 'allows' at /allows in pair() in web.parity.test.ts; expected one of: allow, knownFailures (did you mean 'allow'?)",
    )
    expect(messageOf({ deny: [] })).toBe(
      "unknown key 'deny' at /deny in pair() in web.parity.test.ts; expected one of: allow, knownFailures",
    )
  })

  test('a missing check', () => {
    expect(messageOf({ allow: [{ check: 'a' }, { key: 'PATH' }] })).toBe(
      "missing key 'check' at /allow/1 in pair() in web.parity.test.ts; 'check' is required: a check id or glob such as 'interface.user' or 'interface.*'",
    )
  })

  test('wrong types say what was expected and what was found', () => {
    expect(messageOf({ allow: [{ check: 42 }] })).toBe(
      "wrong type at /allow/0/check in pair() in web.parity.test.ts: expected a string (a check id or glob such as 'interface.user' or 'interface.*'), got a number (42)",
    )
    expect(messageOf({ allow: { check: 'interface.user' } })).toMatch(
      /^wrong type at \/allow in pair\(\) in web.parity.test.ts: expected an array \(a list of allow rules .*\), got an object$/,
    )
    expect(messageOf(['interface.user'])).toMatch(
      /^wrong type at \/ in .*: expected an object \(a policy object .*\), got an array$/,
    )
    expect(messageOf({ allow: ['interface.user'] })).toMatch(
      /^wrong type at \/allow\/0 in .*: expected an object \(an allow rule such as .*\), got a string \("interface.user"\)$/,
    )
  })

  test('an empty check', () => {
    expect(messageOf({ allow: [{ check: '' }] })).toBe(
      "empty value at /allow/0/check in pair() in web.parity.test.ts; expected a check id or glob such as 'interface.user' or 'interface.*'",
    )
  })

  test('a key with a slash is escaped in the JSON path', () => {
    expect(messageOf({ allow: [{ check: 'a', 'b/c': 1 }] })).toMatch(
      /^unknown key 'b\/c' at \/allow\/0\/b~1c in /,
    )
  })

  test('known failures are accepted and copied; a suite narrows an allow rule', () => {
    const input = {
      allow: [{ check: 'suite.*', suite: 'cpython', reason: 'advisory' }],
      knownFailures: [
        { suite: 'cpython', case: 'test_ssl', reason: 'no network' },
        { case: 'test_socket.*' },
      ],
    }
    const policy = validatePolicy(input, WHERE)
    expect(policy).toEqual(input)
    input.knownFailures[1] = { case: 'changed' }
    expect(policy.knownFailures?.[1]?.case).toBe('test_socket.*')
  })

  test('a bad known failure names its key and path', () => {
    expect(messageOf({ knownFailures: [{ suite: 'cpython', cases: 'test_ssl' }] })).toBe(
      "unknown key 'cases' at /knownFailures/0/cases in pair() in web.parity.test.ts; expected one of: suite, case, reason (did you mean 'case'?)",
    )
    expect(messageOf({ knownFailures: [{ suite: 'cpython' }] })).toBe(
      "missing key 'case' at /knownFailures/0 in pair() in web.parity.test.ts; 'case' is required: a case name, exact or glob, such as 'test_ssl' or 'test_socket.*'",
    )
    expect(messageOf({ knownFailures: ['test_ssl'] })).toMatch(
      /^wrong type at \/knownFailures\/0 in .*: expected an object \(a known failure such as .*\), got a string \("test_ssl"\)$/,
    )
    expect(messageOf({ knownFailures: [{ case: '' }] })).toMatch(
      /^empty value at \/knownFailures\/0\/case in /,
    )
    expect(messageOf({ knownfailures: [] })).toMatch(/did you mean 'knownFailures'\?\)$/)
  })

  test('the misspelt key is reported before the missing one it explains', () => {
    expect(messageOf({ allow: [{ Check: 'interface.user', reson: 'x' }] })).toMatch(
      /^unknown key 'Check' at \/allow\/0\/Check/,
    )
  })
})
