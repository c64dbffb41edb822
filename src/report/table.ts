import type { Finding } from '../compare/finding.ts'

export interface TableOptions {
  /** ANSI colors (FAIL red, allowed green); off unless asked, so JUnit text and logs stay clean. */
  color?: boolean
  /** Widest a key, upstream or rebuilt cell gets before it is cut with `…`; default 40. */
  maxValueWidth?: number
}

const ABSENT = '-'

// Control characters would break a row in two or move the cursor: show them escaped.
const CONTROL = /[\u0000-\u001f\u007f]/g

function escapeControl(text: string): string {
  return text.replace(CONTROL, (char) => JSON.stringify(char).slice(1, -1))
}

/**
 * A value on one short line: absent as `-`, strings as they are (`""` when empty), arrays and objects
 * as compact JSON, cut at `maxWidth` characters with `…`.
 *
 * @example
 * formatValue(['nginx', '-g', 'daemon off;']) // '["nginx","-g","daemon off;"]'
 * formatValue(undefined) // '-'
 * formatValue('x'.repeat(50), 10) // 'xxxxxxxxx…'
 */
export function formatValue(value: unknown, maxWidth = 40): string {
  let text: string
  if (value === undefined) text = ABSENT
  else if (value === '') text = '""'
  else if (typeof value === 'string') text = value
  else if (typeof value === 'object' && value !== null) {
    try {
      text = JSON.stringify(value)
    } catch {
      text = String(value)
    }
  } else text = String(value)
  text = escapeControl(text)
  return text.length > maxWidth ? `${text.slice(0, Math.max(0, maxWidth - 1))}…` : text
}

const COLUMNS = ['check', 'key', 'upstream', 'rebuilt', 'status', 'message'] as const
const ANSI = { red: [31, 39], green: [32, 39], dim: [2, 22], bold: [1, 22] } as const

function paint(text: string, style: keyof typeof ANSI, on: boolean): string {
  const [open, close] = ANSI[style]
  return on ? `\u001b[${open}m${text}\u001b[${close}m` : text
}

// A finding's message (with the reason it was allowed) as lines, each with its control characters escaped.
function messageLines(finding: Finding): string[] {
  const message = finding.reason ? `${finding.message} (allowed: ${finding.reason})` : finding.message
  return message.replace(/\r\n/g, '\n').split('\n').map(escapeControl)
}

/** "3 differences, 1 allowed by policy". */
export function summaryLine(findings: readonly Finding[]): string {
  if (findings.length === 0) return 'no differences'
  const allowed = findings.filter((finding) => finding.allowed).length
  const plural = findings.length === 1 ? 'difference' : 'differences'
  return `${findings.length} ${plural}, ${allowed === 0 ? 'none' : allowed} allowed by policy`
}

/**
 * The findings as a plain-text table (check | key | upstream | rebuilt | status | message) with a
 * summary line under it; the matchers' failure message, the CLI's output and JUnit failure text.
 *
 * @example
 * formatFindingsTable(findings)
 * // check            key       upstream  rebuilt  status  message
 * // ---------------  --------  --------  -------  ------  -------
 * // interface.ports  8080/tcp  8080/tcp  -        FAIL    PORT 8080/tcp exposed upstream, not exposed in rebuilt
 * //
 * // 1 difference, none allowed by policy
 */
export function formatFindingsTable(findings: readonly Finding[], options: TableOptions = {}): string {
  const color = options.color === true
  const width = options.maxValueWidth ?? 40
  if (findings.length === 0) return summaryLine(findings)
  const rows = findings.map((finding) => [
    escapeControl(finding.check),
    finding.key === undefined ? ABSENT : formatValue(finding.key, width),
    formatValue(finding.upstream, width),
    formatValue(finding.rebuilt, width),
    finding.allowed ? 'allowed' : 'FAIL',
    // An allowed finding says why, when its policy rule gave a reason. Only the first line here.
    messageLines(finding)[0] as string,
  ])
  const widths = COLUMNS.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column]?.length ?? 0)),
  )
  // The last column is not padded, so lines carry no trailing spaces.
  const line = (cells: readonly string[], style: (cell: string, column: number) => string) =>
    cells
      .map((cell, column) => {
        const padded = column === cells.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)
        return style(padded, column)
      })
      .join('  ')
  const header = line(COLUMNS, (cell) => paint(cell, 'bold', color))
  const rule = line(
    COLUMNS.map((title, column) =>
      '-'.repeat(column === COLUMNS.length - 1 ? title.length : (widths[column] ?? 0)),
    ),
    (cell) => paint(cell, 'dim', color),
  )
  // A multi-line message (a diff of outputs) goes on under the message column, one line each.
  const indent = ' '.repeat(widths.slice(0, -1).reduce((sum, w) => sum + w + 2, 0))
  const body = rows.flatMap((row, index) => [
    line(row, (cell, column) => {
      if (column !== 4) return cell
      return paint(cell, findings[index]?.allowed ? 'green' : 'red', color)
    }),
    ...messageLines(findings[index] as Finding)
      .slice(1)
      .map((text) => `${indent}${text}`.trimEnd()),
  ])
  const summary = summaryLine(findings)
  const failing = findings.some((finding) => !finding.allowed)
  return [header, rule, ...body, '', paint(summary, failing ? 'red' : 'green', color)].join('\n')
}
