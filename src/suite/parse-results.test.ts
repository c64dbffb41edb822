import { describe, expect, test } from 'vitest'
import { parseJunit } from './parse-junit.ts'
import { parseTap } from './parse-tap.ts'

describe('parseJunit', () => {
  test('every testcase with its outcome, named classname.name, messages decoded', () => {
    const xml = `<?xml version="1.0"?>
<testsuites><testsuite name="s" tests="5">
  <!-- <testcase name="commented"/> -->
  <testcase classname="test_json" name="test_dumps" time="0.01"/>
  <testcase classname="test_bz2" name="test_open"><failure message="No module named &apos;_bz2&apos;">trace</failure></testcase>
  <testcase name="crashes"><error type="E"><![CDATA[boom <here>]]></error></testcase>
  <testcase name='skipped'><skipped/></testcase>
  <testcase name="with output"><system-out>hi</system-out></testcase>
</testsuite></testsuites>`
    expect(parseJunit(xml)).toEqual([
      { name: 'test_json.test_dumps', outcome: 'pass' },
      { name: 'test_bz2.test_open', outcome: 'fail', output: "No module named '_bz2'" },
      { name: 'crashes', outcome: 'error', output: 'boom <here>' },
      { name: 'skipped', outcome: 'skip' },
      { name: 'with output', outcome: 'pass' },
    ])
  })

  test('a document without testcases has no cases', () => {
    expect(parseJunit('<testsuites/>')).toEqual([])
  })
})

describe('parseTap', () => {
  test('ok, not ok, SKIP and TODO; unnamed cases by number; subtests and comments left out', () => {
    const tap = [
      'TAP version 13',
      '1..6',
      'ok 1 - parses config',
      'not ok 2 - writes cache',
      '  ok 1 - nested subtest',
      'ok 3 # SKIP no network',
      'not ok 4 - later # TODO not done',
      'ok 5',
      '# a comment',
      'ok 6 - last',
    ].join('\n')
    expect(parseTap(tap)).toEqual([
      { name: 'parses config', outcome: 'pass' },
      { name: 'writes cache', outcome: 'fail' },
      { name: 'test 3', outcome: 'skip', output: 'no network' },
      { name: 'later', outcome: 'skip', output: 'not done' },
      { name: 'test 5', outcome: 'pass' },
      { name: 'last', outcome: 'pass' },
    ])
  })
})
