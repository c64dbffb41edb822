import type { SuiteCase } from './suite-types.ts'

const TEST_LINE = /^(not ok|ok)\b\s*(\d+)?\s*(?:-\s*)?([^#]*?)\s*(?:#\s*(SKIP|TODO)\S*\s*(.*))?$/i

/**
 * The test lines of a TAP stream (version 12 or 13) as cases: `ok` is `pass`, `not ok` is `fail`,
 * a `# SKIP` directive is `skip` and a `# TODO` that fails is `skip` too (TAP does not count it).
 * A case without a description is named by its number. Indented (subtest) lines are left out.
 *
 * @example
 * parseTap('1..2\nok 1 - parses\nnot ok 2 - writes\n')
 * // [{ name: 'parses', outcome: 'pass' }, { name: 'writes', outcome: 'fail' }]
 */
export function parseTap(text: string): SuiteCase[] {
  const cases: SuiteCase[] = []
  for (const line of text.split('\n')) {
    const match = TEST_LINE.exec(line.trimEnd())
    if (match === null) continue
    const [, status, number, description, directive, reason] = match
    const name =
      description !== undefined && description !== '' ? description : `test ${number ?? cases.length + 1}`
    const ok = (status as string).toLowerCase() === 'ok'
    if (directive !== undefined && (directive.toUpperCase() === 'SKIP' || !ok)) {
      cases.push(reason ? { name, outcome: 'skip', output: reason } : { name, outcome: 'skip' })
    } else {
      cases.push({ name, outcome: ok ? 'pass' : 'fail' })
    }
  }
  return cases
}
