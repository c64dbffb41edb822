import { describe, expect, test } from 'vitest'
import { runCases } from './run-cases.ts'
import type { SuiteProgress } from './suite-progress.ts'

const tick = () => new Promise((resolve) => setTimeout(resolve, 1))

describe('runCases', () => {
  test('cases and logs come back in case order whatever order they finish in; progress per case', async () => {
    const progress: SuiteProgress[] = []
    const delays = [5, 1, 3]
    const ran = await runCases({
      image: 'app:1',
      suite: 's',
      names: ['a', 'b', 'c'],
      parallel: 3,
      budget: 60_000,
      onProgress: (p) => progress.push(p),
      run: async (index) => {
        for (let i = 0; i < (delays[index] as number); i++) await tick()
        return { case: { name: `${'abc'[index]}`, outcome: 'pass' }, log: `log ${index}` }
      },
    })
    expect(ran.cases.map((c) => c.name)).toEqual(['a', 'b', 'c'])
    expect(ran.logs).toEqual(['log 0', 'log 1', 'log 2'])
    expect(ran).toMatchObject({ timedOut: false, parallel: 3 })
    expect(progress.map((p) => p.done)).toEqual([0, 1, 2, 3])
    expect(progress.every((p) => p.total === 3 && p.image === 'app:1')).toBe(true)
  })

  test('once a case is stopped at the budget, the cases not started are errors, not run', async () => {
    const started: number[] = []
    const ran = await runCases({
      image: 'app:1',
      suite: 's',
      names: ['a', 'b', 'c'],
      budget: 1000,
      run: async (index, left) => {
        started.push(index)
        expect(left).toBeGreaterThan(0)
        return index === 1
          ? { case: { name: 'b', outcome: 'error', output: 'stopped' }, log: 'b stopped', timedOut: true }
          : { case: { name: 'abc'[index] as string, outcome: 'pass' }, log: '' }
      },
    })
    expect(started).toEqual([0, 1])
    expect(ran.timedOut).toBe(true)
    expect(ran.cases[2]).toEqual({
      name: 'c',
      outcome: 'error',
      output: 'not run: the suite timed out after 1000 ms',
    })
    expect(ran.logs[2]).toBe('--- c: not run')
  })
})
