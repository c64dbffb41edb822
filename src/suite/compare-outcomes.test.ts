import { describe, expect, test } from 'vitest'
import { caseOutcomes, compareOutcomes } from './compare-outcomes.ts'
import type { SuiteCase } from './suite-types.ts'

const pass = (name: string): SuiteCase => ({ name, outcome: 'pass' })
const fail = (name: string, output = 'exit code 1, expected 0'): SuiteCase => ({
  name,
  outcome: 'fail',
  output,
})

describe('compareOutcomes', () => {
  test('identical outcomes give no findings', () => {
    expect(compareOutcomes([pass('a'), pass('b')], [pass('b'), pass('a')])).toEqual([])
  })

  test('a case passing upstream and failing on rebuilt is suite.regressed, keyed by its name', () => {
    expect(compareOutcomes([pass('a'), pass('b')], [pass('a'), fail('b')])).toEqual([
      {
        check: 'suite.regressed',
        key: 'b',
        upstream: 'pass',
        rebuilt: 'fail',
        allowed: false,
        message: 'case b passes upstream, fails on rebuilt: exit code 1, expected 0',
      },
    ])
  })

  test('an error on rebuilt (timeout) is a regression too', () => {
    const [finding] = compareOutcomes([pass('a')], [{ name: 'a', outcome: 'error', output: 'stopped' }])
    expect(finding).toMatchObject({ check: 'suite.regressed', rebuilt: 'error', allowed: false })
    expect(finding?.message).toBe('case a passes upstream, errors on rebuilt: stopped')
  })

  test('failing on both is shown as allowed suite.failing-both', () => {
    expect(compareOutcomes([fail('a')], [fail('a', 'boom')])).toEqual([
      expect.objectContaining({ check: 'suite.failing-both', key: 'a', allowed: true }),
    ])
  })

  test('a case upstream ran and rebuilt did not is suite.missing; skipped-upstream cases are not', () => {
    const findings = compareOutcomes([pass('a'), { name: 's', outcome: 'skip' }], [])
    expect(findings).toEqual([
      expect.objectContaining({ check: 'suite.missing', key: 'a', upstream: 'pass', allowed: false }),
    ])
  })

  test('known failures regress as allowed findings; fixed cases and extras are not findings', () => {
    const findings = compareOutcomes([pass('a'), fail('b')], [fail('a'), pass('b'), pass('new')], {
      knownFailures: ['a'],
    })
    expect(findings).toEqual([expect.objectContaining({ check: 'suite.regressed', key: 'a', allowed: true })])
    expect(findings[0]?.message).toMatch(/\(a known failure\)$/)
  })

  test('skipped on rebuilt where it passed upstream is a regression; skipped on both is not', () => {
    const skip = (name: string): SuiteCase => ({ name, outcome: 'skip', output: "No module named '_bz2'" })
    expect(compareOutcomes([pass('a'), skip('b')], [skip('a'), skip('b')])).toEqual([
      expect.objectContaining({
        check: 'suite.regressed',
        key: 'a',
        rebuilt: 'skip',
        allowed: false,
        message: "case a passes upstream, is skipped on rebuilt: No module named '_bz2'",
      }),
    ])
  })
})

describe('caseOutcomes', () => {
  test('lists every case with both outcomes', () => {
    expect(caseOutcomes([pass('a'), fail('b')], [fail('a'), pass('c')])).toEqual([
      { name: 'a', upstream: 'pass', rebuilt: 'fail' },
      { name: 'b', upstream: 'fail' },
      { name: 'c', rebuilt: 'pass' },
    ])
  })
})
