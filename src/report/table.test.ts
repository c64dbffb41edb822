import { stripVTControlCharacters } from 'node:util'
import { describe, expect, test } from 'vitest'
import type { Finding } from '../compare/finding.ts'
import { formatFindingsTable, formatValue, summaryLine } from './table.ts'

const findings: Finding[] = [
  {
    check: 'interface.ports',
    key: '8080/tcp',
    upstream: '8080/tcp',
    allowed: false,
    message: 'PORT 8080/tcp exposed upstream, not exposed in rebuilt',
  },
  {
    check: 'interface.user',
    rebuilt: '65532',
    allowed: true,
    message: 'USER is root (unset) upstream, 65532 in rebuilt',
  },
  {
    check: 'interface.cmd',
    upstream: ['nginx', '-g', 'daemon off;'],
    rebuilt: ['/bin/sh', '-c', 'nginx -g "daemon off;"'],
    allowed: false,
    message: 'CMD: upstream uses exec form, rebuilt uses shell form',
  },
]

describe('formatValue', () => {
  test.each([
    [undefined, '-'],
    ['', '""'],
    ['C.UTF-8', 'C.UTF-8'],
    [0, '0'],
    [null, 'null'],
    [true, 'true'],
    [['nginx', '-g', 'daemon off;'], '["nginx","-g","daemon off;"]'],
    [{ '80/tcp': {} }, '{"80/tcp":{}}'],
    ['two\nlines\tand tab', 'two\\nlines\\tand tab'],
  ])('%j → %s', (value, text) => {
    expect(formatValue(value)).toBe(text)
  })

  test('long values are cut with … at the width', () => {
    expect(formatValue('x'.repeat(50), 10)).toBe(`${'x'.repeat(9)}…`)
    expect(formatValue('x'.repeat(40))).toBe('x'.repeat(40))
    expect(formatValue('x'.repeat(41))).toHaveLength(40)
  })

  test('a circular object does not throw', () => {
    const circular: Record<string, unknown> = {}
    circular.self = circular
    expect(formatValue(circular)).toBe('[object Object]')
  })
})

describe('summaryLine', () => {
  test('counts differences and allowed ones', () => {
    expect(summaryLine([])).toBe('no differences')
    expect(summaryLine(findings)).toBe('3 differences, 1 allowed by policy')
    expect(summaryLine(findings.slice(0, 1))).toBe('1 difference, none allowed by policy')
  })
})

describe('formatFindingsTable', () => {
  test('aligned columns, no trailing spaces, summary last', () => {
    expect(formatFindingsTable(findings)).toBe(
      [
        'check            key       upstream                      rebuilt                                   status   message',
        '---------------  --------  ----------------------------  ----------------------------------------  -------  -------',
        'interface.ports  8080/tcp  8080/tcp                      -                                         FAIL     PORT 8080/tcp exposed upstream, not exposed in rebuilt',
        'interface.user   -         -                             65532                                     allowed  USER is root (unset) upstream, 65532 in rebuilt',
        'interface.cmd    -         ["nginx","-g","daemon off;"]  ["/bin/sh","-c","nginx -g \\"daemon off;…  FAIL     CMD: upstream uses exec form, rebuilt uses shell form',
        '',
        '3 differences, 1 allowed by policy',
      ].join('\n'),
    )
  })

  test('no findings is one line', () => {
    expect(formatFindingsTable([])).toBe('no differences')
  })

  test('no ANSI codes unless color is asked for', () => {
    expect(formatFindingsTable(findings)).not.toContain('\u001b[')
    const colored = formatFindingsTable(findings, { color: true })
    expect(colored).toContain('\u001b[31mFAIL')
    expect(colored).toContain('\u001b[32mallowed')
    // Colors wrap cells without changing what a reader sees.
    expect(stripVTControlCharacters(colored)).toBe(formatFindingsTable(findings))
  })

  test("an allowed finding's reason follows its message", () => {
    const table = formatFindingsTable([
      {
        check: 'suite.regressed',
        key: 'uid',
        allowed: true,
        message: 'case uid fails',
        reason: 'known failure',
      },
    ])
    expect(table).toMatch(
      /suite\.regressed\s+uid\s+-\s+-\s+allowed\s+case uid fails \(allowed: known failure\)$/m,
    )
  })

  test('a multi-line message goes on under the message column; other control characters stay escaped', () => {
    const table = formatFindingsTable([
      { check: 'runtime.command.stdout', key: 'k', allowed: false, message: 'stdout differs:\n-a\tb\n+c' },
      { check: 'x', allowed: true, message: 'one line' },
    ])
    const lines = table.split('\n')
    expect(lines[2]).toMatch(/^runtime\.command\.stdout\s+k\s+-\s+-\s+FAIL\s+stdout differs:$/)
    const column = (lines[2] as string).indexOf('stdout differs:')
    expect(lines[3]).toBe(`${' '.repeat(column)}-a\\tb`)
    expect(lines[4]).toBe(`${' '.repeat(column)}+c`)
    expect(lines[5]).toMatch(/^x\s+-\s+-\s+-\s+allowed\s+one line$/)
  })
})
