import { PassThrough } from 'node:stream'
import type Docker from 'dockerode'

/**
 * Splits the Engine API's multiplexed log stream (8-byte frame headers: stream, 0, 0, 0, size)
 * into text; a container without a TTY always sends this format.
 *
 * @example
 * demuxLogs(await container.logs({ stdout: true, stderr: true, follow: false }))
 */
export function demuxLogs(buffer: Buffer): string {
  // A TTY container's log is not multiplexed: the bytes are the text.
  if (!isFrameHeader(buffer, 0)) return buffer.toString('utf8')
  const parts: Buffer[] = []
  let offset = 0
  while (offset + 8 <= buffer.length && isFrameHeader(buffer, offset)) {
    const size = buffer.readUInt32BE(offset + 4)
    if (offset + 8 + size > buffer.length) break
    parts.push(buffer.subarray(offset + 8, offset + 8 + size))
    offset += 8 + size
  }
  return Buffer.concat(parts).toString('utf8')
}

// Stream byte 0 (stdin), 1 (stdout) or 2 (stderr), then three zero bytes.
function isFrameHeader(buffer: Buffer, offset: number): boolean {
  return (
    buffer.length >= offset + 8 &&
    (buffer[offset] ?? 9) <= 2 &&
    buffer[offset + 1] === 0 &&
    buffer[offset + 2] === 0 &&
    buffer[offset + 3] === 0
  )
}

/** Everything a container printed so far, stdout and stderr interleaved as the engine stored them. */
export async function readLogs(container: Docker.Container): Promise<string> {
  const buffer = await container.logs({ stdout: true, stderr: true, follow: false })
  return demuxLogs(buffer)
}

/** The last `count` non-empty lines of a log text. */
export function lastLines(text: string, count: number): string[] {
  return text
    .split('\n')
    .map((line) => line.replace(/\r$/, ''))
    .filter((line) => line !== '')
    .slice(-count)
}

/**
 * Follows a container's stdout and stderr from its start, calling `onLine` for each complete line
 * (a last line without newline is delivered when the stream ends). Stops on `signal`.
 */
export async function followLogLines(
  docker: Docker,
  container: Docker.Container,
  onLine: (line: string) => void,
  signal: AbortSignal,
): Promise<void> {
  const stream = (await container.logs({
    stdout: true,
    stderr: true,
    follow: true,
  })) as NodeJS.ReadableStream & {
    destroy(): void
  }
  const out = new PassThrough()
  const err = new PassThrough()
  docker.modem.demuxStream(stream, out, err)
  for (const part of [out, err]) {
    let pending = ''
    part.on('data', (chunk: Buffer) => {
      pending += chunk.toString('utf8')
      const lines = pending.split('\n')
      pending = lines.pop() ?? ''
      for (const line of lines) onLine(line.replace(/\r$/, ''))
    })
    part.on('end', () => {
      if (pending !== '') onLine(pending)
    })
  }
  const stop = () => stream.destroy()
  signal.addEventListener('abort', stop, { once: true })
  await new Promise<void>((resolve) => {
    stream.on('end', resolve)
    stream.on('close', resolve)
    stream.on('error', resolve)
  })
  signal.removeEventListener('abort', stop)
  out.end()
  err.end()
}
