import type { SuiteResults } from './suite-types.ts'

/** How far one suite run on one image is: cases done, of `total` when it is known. */
export interface SuiteProgress {
  image: string
  suite: string
  done: number
  total?: number
}

export type ProgressListener = (progress: SuiteProgress) => void

// regrtest: `[ 3/40]` (sequential: the test starting) or `[3/40/1] test_x passed` (-j: finished).
const REGRTEST_STEP = /\[\s*(\d+)\/(\d+)(?:\/\d+)?\]\s+test[\w.]*(\s+\S)?/
const TAP_PLAN = /^1\.\.(\d+)/
const TAP_CASE = /^(?:not ok|ok)\b/

/**
 * Counts a script suite's cases from its output as it streams (chunks may split lines), and
 * calls `emit(done, total?)` when the count moves: regrtest's `[n/N]` lines and TAP's `ok` /
 * `not ok` lines with the `1..N` plan. JUnit and exit-code results give no count while running.
 *
 * @example
 * const onOutput = outputProgress('tap', (done, total) => console.log(done, total))
 * onOutput('1..2\nok 1 - a\n') // logs 1 2
 */
export function outputProgress(
  results: SuiteResults,
  emit: (done: number, total?: number) => void,
): (chunk: string) => void {
  let partial = ''
  let done = 0
  let total: number | undefined
  const line = (text: string) => {
    if (results === 'regrtest') {
      const step = REGRTEST_STEP.exec(text)
      if (step === null) return
      // With -j a line reports a finished test; sequentially it announces the next one.
      const count = Number(step[1]) - (step[3] === undefined ? 1 : 0)
      total = Number(step[2])
      if (count > done) emit((done = count), total)
    } else if (results === 'tap') {
      const plan = TAP_PLAN.exec(text)
      if (plan !== null) total = Number(plan[1])
      else if (TAP_CASE.test(text)) emit(++done, total)
    }
  }
  return (chunk: string) => {
    const lines = (partial + chunk).split('\n')
    partial = lines.pop() ?? ''
    for (const text of lines) line(text.trimEnd())
  }
}

/**
 * The listener suite matchers use: a line on `stream` (stderr) per run, at most every
 * `everyMs`, and only for runs still going after `everyMs`, so short suites stay quiet; a run
 * that printed gets its last count too. `IMGTEST_PROGRESS=0` turns it off.
 *
 * @example
 * runSuite(image, suite, { onProgress: progressPrinter() })
 * // imgtest: cpython on python:3.11: 120/412 cases (62 s)
 */
export function progressPrinter(
  stream: { write(text: string): unknown } = process.stderr,
  everyMs = 10_000,
  now: () => number = () => performance.now(),
): ProgressListener | undefined {
  if (process.env.IMGTEST_PROGRESS === '0') return undefined
  const runs = new Map<string, { started: number; printed: number | undefined }>()
  return (progress) => {
    const key = `${progress.suite}\0${progress.image}`
    const at = now()
    const run = runs.get(key) ?? { started: at, printed: undefined }
    runs.set(key, run)
    const finished = progress.total !== undefined && progress.done >= progress.total
    const due = run.printed === undefined ? at - run.started >= everyMs : at - run.printed >= everyMs
    if (!(due || (finished && run.printed !== undefined))) return
    run.printed = at
    const of = progress.total === undefined ? '' : `/${progress.total}`
    const seconds = Math.round((at - run.started) / 1000)
    stream.write(
      `imgtest: ${progress.suite} on ${progress.image}: ${progress.done}${of} cases (${seconds} s)\n`,
    )
    if (finished) runs.delete(key)
  }
}
