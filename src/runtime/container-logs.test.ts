import { describe, expect, test } from 'vitest'
import { demuxLogs, lastLines } from './container-logs.ts'

// One Engine API log frame: stream byte (1 stdout, 2 stderr), three zero bytes, big-endian size.
function frame(stream: 1 | 2, text: string): Buffer {
  const body = Buffer.from(text)
  const header = Buffer.alloc(8)
  header[0] = stream
  header.writeUInt32BE(body.length, 4)
  return Buffer.concat([header, body])
}

describe('demuxLogs', () => {
  test('joins stdout and stderr frames in engine order, headers dropped', () => {
    const buffer = Buffer.concat([frame(1, 'starting\n'), frame(2, 'fatal: no config\n'), frame(1, 'bye\n')])
    expect(demuxLogs(buffer)).toBe('starting\nfatal: no config\nbye\n')
  })

  test('a TTY log (no frames) is the text itself', () => {
    expect(demuxLogs(Buffer.from('plain text\n'))).toBe('plain text\n')
  })

  test('a truncated last frame is dropped, not misread', () => {
    const buffer = Buffer.concat([frame(1, 'whole\n'), frame(2, 'cut').subarray(0, 6)])
    expect(demuxLogs(buffer)).toBe('whole\n')
  })

  test('nothing printed: empty text', () => {
    expect(demuxLogs(Buffer.alloc(0))).toBe('')
  })
})

describe('lastLines', () => {
  test('keeps the last non-empty lines, CR stripped', () => {
    expect(lastLines('a\r\nb\n\nc\nd\n', 3)).toEqual(['b', 'c', 'd'])
  })
})
