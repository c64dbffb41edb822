import { describe, expect, test } from 'vitest'
import type { Finding } from './finding.ts'
import { newFinding } from './finding.ts'
import { applyPolicy, findAllowRule, mergePolicies } from './policy.ts'

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
})
