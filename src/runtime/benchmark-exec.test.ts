import { expect, test } from 'vitest'
import { demultiplex } from './benchmark-exec.ts'

const frame = (type: number, text: string) => {
  const payload = Buffer.from(text)
  const header = Buffer.alloc(8)
  header[0] = type
  header.writeUInt32BE(payload.length, 4)
  return Buffer.concat([header, payload])
}

test('demultiplex splits stdout and stderr frames, in order', () => {
  const buffer = Buffer.concat([frame(1, 'out 1\n'), frame(2, 'err\n'), frame(1, 'out 2\n')])
  expect(demultiplex(buffer)).toEqual({ stdout: 'out 1\nout 2\n', stderr: 'err\n' })
})

test('bytes that are no frame (the engine wrote an error before framing) count as stdout', () => {
  const text = 'OCI runtime exec failed: exec: "curl": executable file not found in $PATH\r\n'
  expect(demultiplex(Buffer.from(text))).toEqual({ stdout: text, stderr: '' })
})

test('a truncated last frame is kept as stdout rather than lost', () => {
  const whole = frame(1, 'complete')
  const cut = frame(2, 'cut short').subarray(0, 12)
  expect(demultiplex(Buffer.concat([whole, cut])).stdout).toBe(`complete${cut.toString()}`)
})
