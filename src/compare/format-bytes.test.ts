import { expect, test } from 'vitest'
import { formatBytes } from './format-bytes.ts'

test.each([
  [0, '0 B'],
  [999, '999 B'],
  [1_000, '1.00 kB'],
  [1_500, '1.50 kB'],
  [12_345_678, '12.3 MB'],
  [123_456_789, '123 MB'],
  [999_999, '1.00 MB'],
  [1_234_567_890, '1.23 GB'],
  [-2_000, '-2.00 kB'],
])('formatBytes(%d) is %s', (bytes, text) => {
  expect(formatBytes(bytes)).toBe(text)
})
