import { describe, expect, test } from 'vitest'
import { unifiedDiff } from './output-diff.ts'

describe('unifiedDiff', () => {
  test('equal texts give no diff', () => {
    expect(unifiedDiff('a\nb\n', 'a\nb\n')).toBe('')
  })

  test('one changed line with one line of context, as diff -U1 prints it', () => {
    expect(unifiedDiff('behave 1.0.0\nok\nmore\n', 'behave 1.0.1\nok\nmore\n')).toBe(
      ['--- upstream', '+++ rebuilt', '@@ -1,2 +1,2 @@', '-behave 1.0.0', '+behave 1.0.1', ' ok'].join('\n'),
    )
  })

  test('additions and removals in the middle, with diff(1) line numbers', () => {
    const a = ['1', '2', '3', '4', '5', '6', '7', '8'].join('\n')
    const b = ['1', '2', '3', 'x', '5', '6', '7', '8', '9'].join('\n')
    expect(unifiedDiff(a, b)).toBe(
      [
        '--- upstream',
        '+++ rebuilt',
        '@@ -3,3 +3,3 @@',
        ' 3',
        '-4',
        '+x',
        ' 5',
        '@@ -8 +8,2 @@',
        ' 8',
        '+9',
      ].join('\n'),
    )
  })

  test('an empty side is numbered from line 0', () => {
    expect(unifiedDiff('', 'error: boom\n')).toBe(
      ['--- upstream', '+++ rebuilt', '@@ -0,0 +1 @@', '+error: boom'].join('\n'),
    )
    expect(unifiedDiff('a\nb\n', '')).toBe(
      ['--- upstream', '+++ rebuilt', '@@ -1,2 +0,0 @@', '-a', '-b'].join('\n'),
    )
  })

  test('lines moved: the LCS keeps the common ones', () => {
    expect(unifiedDiff('a\nb\nc\n', 'b\nc\na\n', { context: 0 })).toBe(
      ['--- upstream', '+++ rebuilt', '@@ -1 +0,0 @@', '-a', '@@ -3,0 +3 @@', '+a'].join('\n'),
    )
  })

  test('long diffs are cut with a count of what is left out', () => {
    const a = Array.from({ length: 50 }, (_, i) => `a${i}`).join('\n')
    const b = Array.from({ length: 50 }, (_, i) => `b${i}`).join('\n')
    const diff = unifiedDiff(a, b, { maxLines: 5 }).split('\n')
    expect(diff).toHaveLength(8)
    expect(diff.at(-1)).toBe('… 96 more diff lines')
  })

  test('a final newline alone is named', () => {
    expect(unifiedDiff('a\n', 'a')).toMatch(/differ in line endings or a final newline only/)
  })

  test('labels and huge inputs (no LCS table) still give a diff', () => {
    const a = Array.from({ length: 3000 }, (_, i) => `a${i}`).join('\n')
    const b = Array.from({ length: 3000 }, (_, i) => `b${i}`).join('\n')
    const diff = unifiedDiff(a, b, { labels: ['x', 'y'], maxLines: 3 })
    expect(diff.split('\n').slice(0, 5)).toEqual(['--- x', '+++ y', '@@ -1,3000 +1,3000 @@', '-a0', '-a1'])
  })
})
