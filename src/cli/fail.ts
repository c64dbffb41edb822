import { isImgtestError } from '../errors.ts'

/**
 * Prints an error the way the CLI promises: a known ImgtestError in one line with its code,
 * anything else with its stack (it is a bug). Returns the exit code, always 2.
 */
export function fail(error: unknown, stderr: NodeJS.WritableStream = process.stderr): 2 {
  if (isImgtestError(error)) {
    stderr.write(`imgtest: ${error.message} [${error.code}]\n`)
  } else {
    stderr.write(
      `imgtest: unexpected error (please report it)\n${error instanceof Error ? error.stack : String(error)}\n`,
    )
  }
  return 2
}
