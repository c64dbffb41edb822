import { readFileSync } from 'node:fs'
import { describe, expect, test } from 'vitest'
import { parseRegrtest, parseRegrtestJunit } from './parse-regrtest.ts'

// Real output of `python3 -m test` (CPython 3.11, Debian 12) on the python fixture pair.
const output = (name: string) => readFileSync(new URL(`testdata/regrtest/${name}`, import.meta.url), 'utf8')

describe('parseRegrtest', () => {
  test('-j output: every test once, skips with their reason (a module missing on rebuilt)', () => {
    expect(parseRegrtest(output('rebuilt-j2.txt'))).toEqual([
      { name: 'test_bz2', outcome: 'skip', output: "No module named '_bz2'" },
      { name: 'test_zlib', outcome: 'pass' },
      {
        name: 'test_dbm_gnu',
        outcome: 'skip',
        output: "No module named '_gdbm', please install the python3-gdbm package",
      },
      { name: 'test_json', outcome: 'pass' },
      { name: 'test_base64', outcome: 'pass' },
    ])
  })

  test('sequential output: names from the progress lines, outcomes from the summary', () => {
    expect(parseRegrtest(output('upstream-sequential.txt'))).toEqual([
      { name: 'test_bz2', outcome: 'pass' },
      { name: 'test_json', outcome: 'pass' },
      {
        name: 'test_dbm_gnu',
        outcome: 'skip',
        output: "No module named '_gdbm', please install the python3-gdbm package",
      },
      { name: 'test_nonexistent_xyz', outcome: 'fail', output: 'failed (uncaught exception)' },
    ])
  })

  test('resource-denied tests are skips; a failure keeps its count', () => {
    expect(parseRegrtest(output('resources.txt'))).toEqual([
      { name: 'test_urllib2net', outcome: 'skip', output: "Use of the 'network' resource not enabled" },
      { name: 'test_json', outcome: 'pass' },
      { name: 'test_socket', outcome: 'fail', output: 'failed (2 errors)' },
    ])
  })

  test('a run killed before its summary: -j results stand, tests without one are errors', () => {
    const text = output('resources.txt')
    const killed = text.slice(0, text.indexOf('[3/3/1]'))
    expect(parseRegrtest(killed)).toEqual([
      { name: 'test_urllib2net', outcome: 'skip', output: "Use of the 'network' resource not enabled" },
      { name: 'test_json', outcome: 'pass' },
    ])
    expect(parseRegrtest(`${killed}0:01:00 load avg: 1.0 [3/3] test_socket\n`)[2]).toEqual({
      name: 'test_socket',
      outcome: 'error',
      output: 'no result: the run ended before regrtest reported this test',
    })
  })

  test('summary lists: failed again, altered environment, omitted, several names a line', () => {
    const text = [
      '[1/5] test_a',
      '[2/5] test_b',
      '[3/5] test_c',
      '[4/5] test_d',
      '[5/5] test_e',
      '',
      '== Tests result: FAILURE then FAILURE ==',
      '',
      '1 test OK.',
      '',
      '2 tests failed:',
      '    test_a test_b',
      '',
      '1 test altered the execution environment:',
      '    test_c',
      '',
      '1 test omitted:',
      '    test_d',
      '',
      '1 test failed again:',
      '    test_b',
    ].join('\n')
    expect(parseRegrtest(text).map((c) => [c.name, c.outcome])).toEqual([
      ['test_a', 'fail'],
      ['test_b', 'fail'],
      ['test_c', 'pass'],
      ['test_d', 'error'],
      ['test_e', 'pass'],
    ])
  })

  test("3.12+'s summary: env changed, re-run and the totals after the lists", () => {
    const text = [
      '0:00:01 load avg: 0.5 [1/3] test_a passed',
      '0:00:02 load avg: 0.5 [2/3/1] test_b failed (1 failure)',
      '0:00:03 load avg: 0.5 [3/3] test_c failed (env changed)',
      '',
      '== Tests result: FAILURE ==',
      '',
      '1 test altered the execution environment (env changed):',
      '    test_c',
      '',
      '1 re-run test:',
      '    test_b',
      '',
      '1 test failed:',
      '    test_b',
      '',
      '1 test OK.',
      '',
      'Total duration: 3.1 sec',
      'Total tests: run=40 failures=1',
      'Total test files: run=3/3 failed=1 env_changed=1 rerun=1',
      'Result: FAILURE',
    ].join('\n')
    expect(parseRegrtest(text)).toEqual([
      { name: 'test_a', outcome: 'pass' },
      { name: 'test_b', outcome: 'fail', output: 'failed (1 failure)' },
      { name: 'test_c', outcome: 'pass' },
    ])
  })

  test('no progress lines at all gives no cases', () => {
    expect(parseRegrtest('usage: python -m test [options]\n')).toEqual([])
  })
})

describe('parseRegrtestJunit', () => {
  test('real --junit-xml: one case per test method, grouped by its module; test_bz2, skipped whole, has none', () => {
    const cases = parseRegrtestJunit(output('rebuilt-methods.xml'))
    expect(cases).toHaveLength(36)
    expect(cases[0]).toEqual({
      name: 'test.test_base64.BaseXYTestCase.test_ErrorHeritage',
      outcome: 'pass',
      group: 'test_base64',
    })
    expect(new Set(cases.map((c) => c.group))).toEqual(new Set(['test_base64']))
  })

  test('doctests a module runs twice get #2; outcomes come from the testcase children', () => {
    const xml = [
      '<testsuites><testsuite tests="4">',
      '<testcase name="json" status="run" result="completed"/>',
      '<testcase name="test.test_json.T.test_a" status="run"><skipped message="needs _json"/></testcase>',
      '<testcase name="test.test_json.T.test_b" status="run"><failure message="boom"/></testcase>',
      '<testcase name="json" status="run" result="completed"/>',
      '</testsuite></testsuites>',
    ].join('')
    expect(parseRegrtestJunit(xml)).toEqual([
      { name: 'json', outcome: 'pass', group: 'test_json' },
      { name: 'test.test_json.T.test_a', outcome: 'skip', output: 'needs _json', group: 'test_json' },
      { name: 'test.test_json.T.test_b', outcome: 'fail', output: 'boom', group: 'test_json' },
      { name: 'json #2', outcome: 'pass', group: 'test_json' },
    ])
  })
})
