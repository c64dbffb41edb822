import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { execa, type Options } from 'execa'
import { OWNER_LABEL } from '../src/runtime/owner-label.ts'
import { SESSION_LABEL, sessionAlive } from '../src/runtime/session-label.ts'

export const ROOT = new URL('..', import.meta.url).pathname
const BIN = join(ROOT, 'dist/src/cli/bin.js')

export interface CliResult {
  exitCode: number
  stdout: string
  stderr: string
  /** What the run left in its own TMPDIR (must be nothing). */
  leftoverTempFiles: string[]
}

/** Runs the built `imgtest` bin as a user would, with a TMPDIR of its own to catch leftovers. */
export async function imgtest(args: string[], options: Options = {}): Promise<CliResult> {
  const temp = await mkdtemp(join(tmpdir(), 'imgtest-cli-test-'))
  try {
    const result = await execa('node', [BIN, ...args], {
      reject: false,
      cwd: ROOT,
      ...options,
      env: { TMPDIR: temp, FORCE_COLOR: '0', NO_COLOR: '1', ...options.env },
    })
    return {
      exitCode: result.exitCode ?? -1,
      stdout: String(result.stdout),
      stderr: String(result.stderr),
      leftoverTempFiles: await readdir(temp),
    }
  } finally {
    await rm(temp, { recursive: true, force: true })
  }
}

/**
 * Containers and networks imgtest created (they carry its owner label) whose process has ended:
 * a finished run must leave none. Those of live processes (tests running alongside) are theirs.
 */
export async function imgtestLeftovers(): Promise<string[]> {
  const filter = ['--filter', `label=${OWNER_LABEL}`]
  const format = ['--format', `{{.ID}} {{.Label "${SESSION_LABEL}"}}`]
  const containers = await execa('docker', ['ps', '-a', ...filter, ...format])
  const networks = await execa('docker', ['network', 'ls', ...filter, ...format])
  return [...containers.stdout.split('\n'), ...networks.stdout.split('\n')]
    .filter(Boolean)
    .map((line) => line.split(' ') as [string, string?])
    .filter(([, session]) => !sessionAlive(session))
    .map(([id]) => id)
}
