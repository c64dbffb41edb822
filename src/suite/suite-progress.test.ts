import { describe, expect, test } from 'vitest'
import { outputProgress, progressPrinter, type SuiteProgress } from './suite-progress.ts'

const counts = (results: Parameters<typeof outputProgress>[0], chunks: string[]) => {
  const seen: [number, number | undefined][] = []
  const onOutput = outputProgress(results, (done, total) => seen.push([done, total]))
  for (const chunk of chunks) onOutput(chunk)
  return seen
}

describe('outputProgress', () => {
  test('regrtest -j: each [n/N] line is a finished test, even split across chunks', () => {
    expect(
      counts('regrtest', [
        '0:00:00 load avg: 0.4 Run tests in parallel using 2 child processes\n0:00:00 load avg: 0.4 [1/3] test_bz2 ski',
        "pped\ntest_bz2 skipped -- No module named '_bz2'\n0:00:01 load avg: 0.4 [2/3] test_json passed\n",
        '0:00:02 load avg: 0.4 [3/3/1] test_zlib failed (1 error)\n',
      ]),
    ).toEqual([
      [1, 3],
      [2, 3],
      [3, 3],
    ])
  })

  test('regrtest sequential: [n/N] announces test n, so n-1 are done', () => {
    expect(counts('regrtest', ['0:00:00 [1/2] test_bz2\n0:00:02 [2/2] test_json\n'])).toEqual([[1, 2]])
  })

  test('TAP: ok and not ok lines, with the plan as total; JUnit gives no count', () => {
    expect(counts('tap', ['1..3\nok 1 - a\nnot ok 2 - b\n# note\n'])).toEqual([
      [1, 3],
      [2, 3],
    ])
    expect(counts({ junit: 'r.xml' }, ['ok 1 - a\n'])).toEqual([])
  })
})

describe('progressPrinter', () => {
  const run = (events: [number, SuiteProgress][], env?: string) => {
    const lines: string[] = []
    let clock = 0
    const before = process.env.IMGTEST_PROGRESS
    if (env === undefined) delete process.env.IMGTEST_PROGRESS
    else process.env.IMGTEST_PROGRESS = env
    try {
      const print = progressPrinter({ write: (text: string) => lines.push(text) }, 10_000, () => clock)
      for (const [at, progress] of events) {
        clock = at
        print?.(progress)
      }
    } finally {
      if (before === undefined) delete process.env.IMGTEST_PROGRESS
      else process.env.IMGTEST_PROGRESS = before
    }
    return lines
  }
  const at = (ms: number, done: number, image = 'py:3', total = 400): [number, SuiteProgress] => [
    ms,
    { image, suite: 'cpython', done, total },
  ]

  test('a short run prints nothing', () => {
    expect(run([at(0, 0), at(3000, 200), at(6000, 400)])).toEqual([])
  })

  test('a long run: a line every 10 s per image, and its last count', () => {
    expect(
      run([
        at(0, 0),
        at(0, 0, 'rebuilt'),
        at(9000, 80),
        at(10_500, 90),
        at(12_000, 95, 'rebuilt'),
        at(15_000, 120),
        at(21_000, 300),
        at(24_000, 400),
      ]),
    ).toEqual([
      'imgtest: cpython on py:3: 90/400 cases (11 s)\n',
      'imgtest: cpython on rebuilt: 95/400 cases (12 s)\n',
      'imgtest: cpython on py:3: 300/400 cases (21 s)\n',
      'imgtest: cpython on py:3: 400/400 cases (24 s)\n',
    ])
  })

  test('IMGTEST_PROGRESS=0 turns it off', () => {
    expect(run([at(0, 0), at(60_000, 10)], '0')).toEqual([])
  })
})
