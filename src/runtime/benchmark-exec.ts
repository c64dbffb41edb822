import type { Duplex } from 'node:stream'
import { runtimeEngine } from './engine.ts'

/** What one command run inside a container did. */
export interface ExecOutcome {
  exitCode: number
  stdout: string
  stderr: string
}

/**
 * Runs `cmd` inside a running container (`docker exec`), waits for it to end and returns its exit
 * code and output. Only the benchmark's `{ command }` task uses it: readiness never execs, as
 * hardened images have no shell, and a command task is one the user asked to run.
 *
 * @example
 * await execInContainer(container.id, ['wget', '-qO-', 'http://127.0.0.1:8080/']) // { exitCode: 0, stdout: '<html>…', stderr: '' }
 */
export async function execInContainer(id: string, cmd: readonly string[]): Promise<ExecOutcome> {
  const docker = await runtimeEngine()
  const exec = await docker
    .getContainer(id)
    .exec({ Cmd: [...cmd], AttachStdout: true, AttachStderr: true, Tty: false })
  const stream = (await exec.start({ hijack: true, stdin: false })) as Duplex
  const chunks: Buffer[] = []
  for await (const chunk of stream) chunks.push(chunk as Buffer)
  const { stdout, stderr } = demultiplex(Buffer.concat(chunks))
  const { ExitCode } = await exec.inspect()
  return { exitCode: ExitCode ?? -1, stdout, stderr }
}

/**
 * Splits the Engine's multiplexed stream: frames of [stream type, 0, 0, 0, size (uint32 BE)] then
 * the payload; type 1 is stdout, 2 stderr. Bytes that do not form a frame count as stdout.
 */
export function demultiplex(buffer: Buffer): { stdout: string; stderr: string } {
  const out: Buffer[] = []
  const err: Buffer[] = []
  let offset = 0
  while (offset + 8 <= buffer.length) {
    const type = buffer[offset]
    const size = buffer.readUInt32BE(offset + 4)
    if ((type !== 1 && type !== 2) || offset + 8 + size > buffer.length) break
    ;(type === 2 ? err : out).push(buffer.subarray(offset + 8, offset + 8 + size))
    offset += 8 + size
  }
  if (offset < buffer.length) out.push(buffer.subarray(offset))
  return { stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }
}
