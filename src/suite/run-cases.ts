import type { ProgressListener } from './suite-progress.ts'
import type { SuiteCase } from './suite-types.ts'

/** What running one case gave: its outcome, its part of the log, and whether the budget ran out in it. */
export interface CaseResult {
  case: SuiteCase
  log: string
  /** The case was stopped because the suite's budget was spent: later cases are not run. */
  timedOut?: boolean
}

export interface RunCasesOptions {
  image: string
  suite: string
  /** The cases' names, in order. */
  names: readonly string[]
  /** How many run at once (default 1). */
  parallel?: number
  /** The suite's budget in ms, for messages. */
  budget: number
  onProgress?: ProgressListener | undefined
  /** Runs case `index` with `remainingMs` of the budget left. */
  run(index: number, remainingMs: number): Promise<CaseResult>
}

/**
 * Runs a suite's cases one by one or `parallel` at a time within one budget, for the suites whose
 * cases are separate runs (commands, docker-library test scripts): once a case is stopped at the
 * budget, the cases not started yet are `error` (not run). Cases and logs come back in case order
 * whatever order they finish in, and `onProgress` hears 0 done at the start and each case done.
 *
 * @example
 * const { cases, logs, timedOut } = await runCases({ image, suite: 'commands', names, budget, run: (i, left) => runOne(i, left) })
 */
export async function runCases(
  options: RunCasesOptions,
): Promise<{ cases: SuiteCase[]; logs: string[]; timedOut: boolean; parallel: number }> {
  const { names, budget } = options
  const deadline = performance.now() + budget
  const cases: SuiteCase[] = new Array(names.length)
  const logs: string[] = new Array(names.length)
  let timedOut = false
  let next = 0
  let done = 0
  const progress = () =>
    options.onProgress?.({ image: options.image, suite: options.suite, done, total: names.length })
  progress()
  const runOne = async (index: number): Promise<void> => {
    const name = names[index] as string
    if (timedOut) {
      cases[index] = { name, outcome: 'error', output: `not run: the suite timed out after ${budget} ms` }
      logs[index] = `--- ${name}: not run`
      return
    }
    const result = await options.run(index, Math.max(1, Math.floor(deadline - performance.now())))
    if (result.timedOut) timedOut = true
    cases[index] = result.case
    logs[index] = result.log
  }
  const worker = async (): Promise<void> => {
    while (next < names.length) {
      await runOne(next++)
      done++
      progress()
    }
  }
  const parallel = Math.max(1, Math.min(options.parallel ?? 1, names.length))
  await Promise.all(Array.from({ length: parallel }, worker))
  return { cases, logs, timedOut, parallel }
}
