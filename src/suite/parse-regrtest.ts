import { parseJunit } from './parse-junit.ts'
import type { CaseOutcome, SuiteCase } from './suite-types.ts'

// `0:00:01 load avg: 0.47 [ 4/6/1] test_base64 passed -- 1.2 sec`: the test and, with -j, its result.
const PROGRESS = /\[\s*\d+\/\d+(?:\/\d+)?\]\s+(test[\w.]*)(?:\s+(.*))?$/
// `test_bz2 skipped -- No module named '_bz2'`, or `test test_x failed -- …`, on a line of its own.
const RESULT_LINE = /^(?:test )?(test[\w.]*) (skipped|failed|crashed)(?: \(([^)]*)\))?(?: -- (.*))?$/
// Summary headings (CPython 3.8 to 3.14 word them so), each followed by indented test names.
const SECTIONS: ReadonlyArray<[RegExp, CaseOutcome | 'env-changed' | 'omitted']> = [
  [/^\d+ tests? failed again:$/, 'fail'],
  [/^\d+ tests? failed:$/, 'fail'],
  [/^\d+ tests? skipped \(resource denied\):$/, 'skip'],
  [/^\d+ tests? skipped:$/, 'skip'],
  [/^\d+ tests? run no tests:$/, 'skip'],
  [/^\d+ tests? altered the execution environment(?: \(env changed\))?:$/, 'env-changed'],
  [/^\d+ tests? omitted:$/, 'omitted'],
]

/**
 * The cases of a CPython regression test run (`python -m test`, "regrtest") from its output:
 * one case per test module, named as regrtest names it (`test_bz2`, `test_json`).
 *
 * Names come from the progress lines (`[3/40] test_os`); outcomes from the summary that ends a
 * run (`2 tests failed:`, `1 test skipped:` …; a test in none of them passed). A test that
 * altered the execution environment passed (regrtest fails it only with --fail-env-changed);
 * an omitted one is an `error`. When the summary is missing (the run was killed), the per-test
 * results `-j` prints are used, and a test without one is an `error`. A skip or failure keeps
 * regrtest's reason (`No module named '_bz2'`) as its output.
 *
 * @example
 * parseRegrtest('[1/2] test_bz2 skipped\ntest_bz2 skipped -- No module named \'_bz2\'\n[2/2] test_json passed\n\n== Tests result: SUCCESS ==\n\n1 test OK.\n\n1 test skipped:\n    test_bz2\n')
 * // [{ name: 'test_bz2', outcome: 'skip', output: "No module named '_bz2'" }, { name: 'test_json', outcome: 'pass' }]
 */
export function parseRegrtest(text: string): SuiteCase[] {
  const order: string[] = []
  const progress = new Map<string, CaseOutcome>()
  const reasons = new Map<string, string>()
  const summary = new Map<string, CaseOutcome | 'env-changed' | 'omitted'>()
  let summarised = false
  let section: CaseOutcome | 'env-changed' | 'omitted' | undefined
  const see = (name: string) => {
    if (!order.includes(name)) order.push(name)
  }
  for (const raw of text.split('\n')) {
    const line = raw.trimEnd()
    if (/^== Tests result: /.test(line)) {
      summarised = true
      section = undefined
      continue
    }
    if (summarised) {
      const heading = SECTIONS.find(([pattern]) => pattern.test(line))
      if (heading !== undefined) {
        section = heading[1]
      } else if (section !== undefined && /^\s+test/.test(line)) {
        for (const name of line.trim().split(/\s+/)) {
          see(name)
          // "failed again" comes first and wins over a later "failed"; otherwise the first list wins.
          if (!summary.has(name)) summary.set(name, section)
        }
      } else {
        section = undefined
      }
      continue
    }
    const result = RESULT_LINE.exec(line)
    if (result !== null) {
      const [, name, status, detail, reason] = result as unknown as [string, string, string, string?, string?]
      // `test_x failed (2 errors)` says it best; `… -- reason` is kept when nothing better came.
      if (reason === undefined) reasons.set(name, detail ? `${status} (${detail})` : status)
      else if (!reasons.has(name)) reasons.set(name, reason)
      continue
    }
    const step = PROGRESS.exec(line)
    if (step === null) continue
    const [, name, status = ''] = step as unknown as [string, string, string?]
    see(name)
    const word = status.split(/\s/)[0]
    if (word === 'passed') progress.set(name, 'pass')
    else if (word === 'skipped' || status.startsWith('run no tests')) progress.set(name, 'skip')
    else if (word === 'failed' || word === 'crashed' || word === 'timed') {
      progress.set(name, 'fail')
      reasons.set(name, status)
    }
  }
  return order.map((name): SuiteCase => {
    let outcome: CaseOutcome
    if (summarised) {
      const listed = summary.get(name)
      outcome =
        listed === undefined || listed === 'env-changed' ? 'pass' : listed === 'omitted' ? 'error' : listed
    } else {
      outcome = progress.get(name) ?? 'error'
    }
    if (outcome === 'pass') return { name, outcome }
    const reason =
      outcome === 'error' && !summarised
        ? 'no result: the run ended before regrtest reported this test'
        : outcome === 'error'
          ? 'omitted: regrtest did not run it'
          : reasons.get(name)
    return reason === undefined ? { name, outcome } : { name, outcome, output: reason }
  })
}

/**
 * The test methods of a regrtest run from the JUnit XML it writes with `--junit-xml`: one case
 * per `<testcase>` (`test.test_json.test_decode.TestCDecode.test_decimal`), grouped by its test
 * module (regrtest writes one `<testsuite>` per module, named by the majority of its cases), so a
 * module that ran no method (skipped or broken on import) stands for its methods. A name a
 * module repeats (doctests run once per implementation) gets ` #2`, ` #3` ….
 *
 * @example
 * parseRegrtestJunit('<testsuites><testsuite><testcase name="test.test_json.T.test_a"/></testsuite></testsuites>')
 * // [{ name: 'test.test_json.T.test_a', outcome: 'pass', group: 'test_json' }]
 */
export function parseRegrtestJunit(xml: string): SuiteCase[] {
  const cases: SuiteCase[] = []
  for (const [suite] of xml.matchAll(/<testsuite\b[^>]*?(?:\/>|>[\s\S]*?<\/testsuite>)/g)) {
    const found = parseJunit(suite)
    const votes = new Map<string, number>()
    for (const c of found) {
      const module = /^test\.(test\w*)\./.exec(c.name)?.[1]
      if (module !== undefined) votes.set(module, (votes.get(module) ?? 0) + 1)
    }
    const group = [...votes.entries()].sort((a, b) => b[1] - a[1])[0]?.[0]
    const seen = new Map<string, number>()
    for (const c of found) {
      const count = (seen.get(c.name) ?? 0) + 1
      seen.set(c.name, count)
      const name = count === 1 ? c.name : `${c.name} #${count}`
      cases.push({ ...c, name, ...(group === undefined ? {} : { group }) })
    }
  }
  return cases
}
