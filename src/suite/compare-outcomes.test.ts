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

describe('cases grouped by module', () => {
  const method = (name: string, outcome: SuiteCase['outcome'] = 'pass'): SuiteCase => ({
    name: `test.test_bz2.T.${name}`,
    outcome,
    group: 'test_bz2',
  })
  const moduleSkipped: SuiteCase = { name: 'test_bz2', outcome: 'skip', output: "No module named '_bz2'" }

  test("a module rebuilt skipped as a whole stands for its methods: each regresses with the module's reason", () => {
    const findings = compareOutcomes([method('a'), method('b', 'skip')], [moduleSkipped])
    expect(findings).toEqual([
      expect.objectContaining({
        check: 'suite.regressed',
        key: 'test.test_bz2.T.a',
        rebuilt: 'skip',
        message: "case test.test_bz2.T.a passes upstream, is skipped on rebuilt: No module named '_bz2'",
      }),
    ])
    expect(caseOutcomes([method('a'), method('b', 'skip')], [moduleSkipped])).toEqual([
      { name: 'test.test_bz2.T.a', upstream: 'pass', rebuilt: 'skip' },
      { name: 'test.test_bz2.T.b', upstream: 'skip', rebuilt: 'skip' },
    ])
  })

  test('a method missing from a module that passed is still suite.missing', () => {
    const findings = compareOutcomes(
      [method('a'), method('b')],
      [method('a'), { name: 'test_bz2', outcome: 'pass' }],
    )
    expect(findings.map((f) => [f.check, f.key])).toEqual([['suite.missing', 'test.test_bz2.T.b']])
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
