import { describe, expect, test } from 'vitest'
import type { Finding } from './finding.ts'
import { newFinding } from './finding.ts'
import { applyPolicy, findAllowRule, knownFailureRule, mergePolicies } from './policy.ts'

const f = (check: string, key?: string): Finding =>
  newFinding({ check, key, message: `${check} ${key ?? ''}` })

const findings: Finding[] = [
  f('interface.user'),
  f('interface.env', 'PATH'),
  f('interface.env', 'LANG'),
  f('interface.ports', '8080/tcp'),
  f('interface.ports', '53/udp'),
  f('interface.labels', 'org.opencontainers.image.title'),
  f('interface.labels', 'maintainer'),
  f('size.total'),
  f('fs.missing', '/usr/share/doc/bash/copyright'),
  f('fs.missing', '/bin/sh'),
]

function allowedBy(policy: Parameters<typeof applyPolicy>[1]): string[] {
  return applyPolicy(findings, policy)
    .filter((finding) => finding.allowed)
    .map((finding) => (finding.key === undefined ? finding.check : `${finding.check} ${finding.key}`))
}

describe('applyPolicy', () => {
  test('no policy, or an empty one, allows nothing and drops nothing', () => {
    expect(applyPolicy(findings)).toEqual(findings)
    expect(applyPolicy(findings, {})).toEqual(findings)
    expect(applyPolicy(findings, { allow: [] })).toHaveLength(findings.length)
  })

  test('an exact check id allows every key of that check', () => {
    expect(allowedBy({ allow: [{ check: 'interface.env' }] })).toEqual([
      'interface.env PATH',
      'interface.env LANG',
    ])
  })

  test('a glob on check ids crosses the dot: interface.* matches interface.env', () => {
    expect(allowedBy({ allow: [{ check: 'interface.*' }] })).toHaveLength(7)
    expect(allowedBy({ allow: [{ check: '*' }] })).toHaveLength(findings.length)
    expect(allowedBy({ allow: [{ check: 'interface.{user,ports}' }] })).toEqual([
      'interface.user',
      'interface.ports 8080/tcp',
      'interface.ports 53/udp',
    ])
  })

  test('an exact check id matches only itself', () => {
    expect(allowedBy({ allow: [{ check: 'interface' }] })).toEqual([])
    expect(allowedBy({ allow: [{ check: 'interface.en' }] })).toEqual([])
  })

  test('a key narrows a rule, exact or glob', () => {
    expect(allowedBy({ allow: [{ check: 'interface.env', key: 'PATH' }] })).toEqual(['interface.env PATH'])
    expect(allowedBy({ allow: [{ check: 'interface.labels', key: 'org.opencontainers.*' }] })).toEqual([
      'interface.labels org.opencontainers.image.title',
    ])
  })

  test('a rule with a key never matches a finding without one', () => {
    expect(allowedBy({ allow: [{ check: 'interface.user', key: '*' }] })).toEqual([])
  })

  test('keys with slashes glob like paths: * stays in a segment, ** crosses', () => {
    expect(allowedBy({ allow: [{ check: 'interface.ports', key: '*/udp' }] })).toEqual([
      'interface.ports 53/udp',
    ])
    expect(allowedBy({ allow: [{ check: 'fs.missing', key: '/usr/share/doc/*' }] })).toEqual([])
    expect(allowedBy({ allow: [{ check: 'fs.*', key: '/usr/share/doc/**' }] })).toEqual([
      'fs.missing /usr/share/doc/bash/copyright',
    ])
  })

  test('a port key without protocol means tcp, as in the image config', () => {
    expect(allowedBy({ allow: [{ check: 'interface.ports', key: '8080' }] })).toEqual([
      'interface.ports 8080/tcp',
    ])
    expect(allowedBy({ allow: [{ check: 'interface.ports', key: '53' }] })).toEqual([])
  })

  test('a key with glob characters still matches itself exactly', () => {
    const odd = [f('interface.labels', 'weird[1]')]
    expect(applyPolicy(odd, { allow: [{ check: 'interface.labels', key: 'weird[1]' }] })[0]?.allowed).toBe(
      true,
    )
  })

  test('returns copies and keeps findings already allowed', () => {
    const input = [{ ...f('size.total'), allowed: true }, f('interface.user')]
    const output = applyPolicy(input, { allow: [{ check: 'interface.user' }] })
    expect(output.map((finding) => finding.allowed)).toEqual([true, true])
    expect(input[1]?.allowed).toBe(false)
    expect(output[1]).not.toBe(input[1])
  })
})

describe('findAllowRule', () => {
  test('gives the first matching rule, for its reason', () => {
    const policy = {
      allow: [
        { check: 'interface.env', key: 'LANG', reason: 'locale dropped' },
        { check: 'interface.*', reason: 'anything else' },
      ],
    }
    expect(findAllowRule(f('interface.env', 'LANG'), policy)?.reason).toBe('locale dropped')
    expect(findAllowRule(f('interface.env', 'PATH'), policy)?.reason).toBe('anything else')
    expect(findAllowRule(f('size.total'), policy)).toBeUndefined()
    expect(findAllowRule(f('size.total'), undefined)).toBeUndefined()
  })
})

describe('mergePolicies', () => {
  test('concatenates rules in order and skips undefined policies', () => {
    expect(
      mergePolicies({ allow: [{ check: 'a' }] }, undefined, {}, { allow: [{ check: 'b', key: 'k' }] }),
    ).toEqual({ allow: [{ check: 'a' }, { check: 'b', key: 'k' }] })
    expect(mergePolicies()).toEqual({ allow: [] })
  })

  test("turns each policy's known failures into allow rules after its own allow rules", () => {
    expect(
      mergePolicies(
        { knownFailures: [{ case: 'test_ssl' }], allow: [{ check: 'a' }] },
        { knownFailures: [{ suite: 'cpython', case: 'test_socket.*', reason: 'no network' }] },
      ),
    ).toEqual({
      allow: [
        { check: 'a' },
        { check: 'suite.{regressed,failed}', key: 'test_ssl', reason: 'known failure' },
        {
          check: 'suite.{regressed,failed}',
          key: 'test_socket.*',
          suite: 'cpython',
          reason: 'known failure: no network',
        },
      ],
    })
  })
})

describe('known failures and the suite selector', () => {
  const inSuite = (check: string, key: string, suite?: string): Finding => ({
    ...newFinding({ check, key, message: `${check} ${key}` }),
    ...(suite === undefined ? {} : { suite }),
  })
  const suiteFindings = [
    inSuite('suite.regressed', 'test_ssl', 'cpython'),
    inSuite('suite.regressed', 'test_ssl', 'pypy'),
    inSuite('suite.regressed', 'test_socket.test_ipv6', 'cpython'),
    inSuite('suite.missing', 'test_ssl', 'cpython'),
    inSuite('suite.failed', 'test_ssl', 'cpython'),
    inSuite('fs.missing', 'test_ssl'),
  ]
  const allowed = (policy: Parameters<typeof applyPolicy>[1]) =>
    applyPolicy(suiteFindings, policy)
      .filter((finding) => finding.allowed)
      .map((finding) => `${finding.check} ${finding.suite ?? '-'}/${finding.key} (${finding.reason})`)

  test('a known failure allows its case regressing (or failing alone) in a matching suite, with the reason', () => {
    expect(
      allowed({ knownFailures: [{ suite: 'cpython', case: 'test_ssl', reason: 'no network' }] }),
    ).toEqual([
      'suite.regressed cpython/test_ssl (known failure: no network)',
      'suite.failed cpython/test_ssl (known failure: no network)',
    ])
  })

  test('without a suite it matches in every suite; the case is a glob', () => {
    expect(allowed({ knownFailures: [{ case: 'test_s*' }] })).toEqual([
      'suite.regressed cpython/test_ssl (known failure)',
      'suite.regressed pypy/test_ssl (known failure)',
      'suite.regressed cpython/test_socket.test_ipv6 (known failure)',
      'suite.failed cpython/test_ssl (known failure)',
    ])
    expect(allowed({ knownFailures: [{ suite: 'c*', case: 'test_socket.*' }] })).toEqual([
      'suite.regressed cpython/test_socket.test_ipv6 (known failure)',
    ])
  })

  test('it is the allow rule it stands for: the same rule written under allow does the same', () => {
    const known = { suite: 'cpython', case: 'test_ssl', reason: 'no network' }
    expect(allowed({ allow: [knownFailureRule(known)] })).toEqual(allowed({ knownFailures: [known] }))
  })

  test("an allow rule's suite narrows it, and never matches a finding without a suite", () => {
    expect(allowed({ allow: [{ check: 'suite.*', suite: 'pypy' }] })).toEqual([
      'suite.regressed pypy/test_ssl (undefined)',
    ])
    expect(allowed({ allow: [{ check: 'fs.missing', suite: '*' }] })).toEqual([])
  })

  test('the first matching rule gives the reason; a finding allowed before keeps its own', () => {
    const [first] = applyPolicy([{ ...suiteFindings[0], allowed: true } as Finding], {
      knownFailures: [{ case: 'test_ssl' }],
    })
    expect(first?.reason).toBeUndefined()
    const policy = {
      allow: [{ check: 'suite.regressed', reason: 'suites are advisory' }],
      knownFailures: [{ case: 'test_ssl' }],
    }
    expect(applyPolicy(suiteFindings.slice(0, 1), policy)[0]?.reason).toBe('suites are advisory')
  })
})
