export interface DiffOptions {
  /** Unchanged lines shown around each change (default 1). */
  context?: number
  /** Most diff lines returned, hunk headers included; the rest is summed up in one line (default 12). */
  maxLines?: number
  /** Labels of the two sides in the `---`/`+++` header (default upstream, rebuilt). */
  labels?: [string, string]
}

type Op = { kind: ' ' | '-' | '+'; line: string; a: number; b: number }

// Above this many cells the middle is shown as all removed and all added rather than aligned.
const MAX_CELLS = 4_000_000

/**
 * A short unified diff of two texts, line by line (LCS), for a finding's message. Empty when equal.
 *
 * @example
 * unifiedDiff('behave 1.0.0\nok\n', 'behave 1.0.1\nok\n')
 * // '--- upstream\n+++ rebuilt\n@@ -1,2 +1,2 @@\n-behave 1.0.0\n+behave 1.0.1\n ok'
 */
export function unifiedDiff(upstream: string, rebuilt: string, options: DiffOptions = {}): string {
  if (upstream === rebuilt) return ''
  const context = options.context ?? 1
  const maxLines = options.maxLines ?? 12
  const [labelA, labelB] = options.labels ?? ['upstream', 'rebuilt']
  const ops = diffLines(splitLines(upstream), splitLines(rebuilt))
  const lines = [`--- ${labelA}`, `+++ ${labelB}`]
  for (const hunk of hunksOf(ops, context)) {
    const first = hunk[0] as Op
    const countA = hunk.filter((op) => op.kind !== '+').length
    const countB = hunk.filter((op) => op.kind !== '-').length
    lines.push(`@@ -${range(first.a, countA)} +${range(first.b, countB)} @@`)
    for (const op of hunk) lines.push(`${op.kind}${op.line}`)
  }
  // A difference in the final newline only shows as a note, as diff(1) does.
  if (lines.length === 2) lines.push('@@ @@', '\\ the texts differ in line endings or a final newline only')
  if (lines.length <= maxLines + 2) return lines.join('\n')
  const hidden = lines.length - 2 - maxLines
  return [...lines.slice(0, maxLines + 2), `… ${hidden} more diff line${hidden === 1 ? '' : 's'}`].join('\n')
}

// A final newline ends the last line rather than starting an empty one.
function splitLines(text: string): string[] {
  if (text === '') return []
  const lines = text.split('\n')
  if (lines.at(-1) === '') lines.pop()
  return lines
}

function range(start: number, count: number): string {
  // diff(1) numbers an empty range by the line before it.
  return count === 1 ? `${start}` : `${count === 0 ? start - 1 : start},${count}`
}

function diffLines(a: string[], b: string[]): Op[] {
  let head = 0
  while (head < a.length && head < b.length && a[head] === b[head]) head++
  let tail = 0
  while (
    tail < a.length - head &&
    tail < b.length - head &&
    a[a.length - 1 - tail] === b[b.length - 1 - tail]
  )
    tail++
  const ops: Op[] = []
  for (let i = 0; i < head; i++) ops.push({ kind: ' ', line: a[i] as string, a: i + 1, b: i + 1 })
  ops.push(...middle(a.slice(head, a.length - tail), b.slice(head, b.length - tail), head))
  for (let i = tail; i > 0; i--) ops.push({ kind: ' ', line: a[a.length - i] as string, a: 0, b: 0 })
  return numbered(ops)
}

// Each op's line numbers: its own in the side(s) it is on, the next line's in the other.
function numbered(ops: Op[]): Op[] {
  let a = 1
  let b = 1
  for (const op of ops) {
    op.a = a
    op.b = b
    if (op.kind !== '+') a++
    if (op.kind !== '-') b++
  }
  return ops
}

// The changed middle, aligned by a longest common subsequence table when it is small enough.
function middle(a: string[], b: string[], offset: number): Op[] {
  const n = a.length
  const m = b.length
  const ops: Op[] = []
  if (n * m > MAX_CELLS) {
    a.forEach((line, i) => ops.push({ kind: '-', line, a: offset + i + 1, b: offset + 1 }))
    b.forEach((line, j) => ops.push({ kind: '+', line, a: offset + n + 1, b: offset + j + 1 }))
    return ops
  }
  const lcs = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1))
  for (let i = n - 1; i >= 0; i--) {
    const row = lcs[i] as Uint32Array
    const next = lcs[i + 1] as Uint32Array
    for (let j = m - 1; j >= 0; j--) {
      row[j] = a[i] === b[j] ? (next[j + 1] as number) + 1 : Math.max(next[j] as number, row[j + 1] as number)
    }
  }
  let i = 0
  let j = 0
  while (i < n || j < m) {
    const at = { a: offset + i + 1, b: offset + j + 1 }
    if (i < n && j < m && a[i] === b[j]) {
      ops.push({ kind: ' ', line: a[i] as string, ...at })
      i++
      j++
    } else if (j < m && (i === n || (lcs[i]?.[j + 1] as number) >= (lcs[i + 1]?.[j] as number))) {
      ops.push({ kind: '+', line: b[j] as string, ...at })
      j++
    } else {
      ops.push({ kind: '-', line: a[i] as string, ...at })
      i++
    }
  }
  // Removals before additions within a run of changes, as diff(1) prints them.
  return reorderRuns(ops)
}

function reorderRuns(ops: Op[]): Op[] {
  const out: Op[] = []
  let run: Op[] = []
  const flush = () => {
    out.push(...run.filter((op) => op.kind === '-'), ...run.filter((op) => op.kind === '+'))
    run = []
  }
  for (const op of ops) {
    if (op.kind === ' ') {
      flush()
      out.push(op)
    } else run.push(op)
  }
  flush()
  return out
}

// Groups changes with `context` unchanged lines around them; changes closer than 2×context share a hunk.
function hunksOf(ops: Op[], context: number): Op[][] {
  const changed = ops.flatMap((op, index) => (op.kind === ' ' ? [] : [index]))
  const hunks: Op[][] = []
  let start = -1
  let end = -1
  for (const index of changed) {
    if (start === -1) {
      start = Math.max(0, index - context)
    } else if (index - context > end + 1) {
      hunks.push(ops.slice(start, end + 1))
      start = Math.max(0, index - context)
    }
    end = Math.min(ops.length - 1, index + context)
  }
  if (start !== -1) hunks.push(ops.slice(start, end + 1))
  return hunks
}
