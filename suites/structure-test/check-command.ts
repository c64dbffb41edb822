import { type Finding, newFinding } from '../../src/compare/finding.ts'
import type { CommandResult } from '../../src/runtime/behaviour-command-check.ts'
import { goRegExp } from './go-regexp.ts'
import type { CommandTest } from './structure-test-schema.ts'

const excerpt = (text: string): string => {
  const flat = JSON.stringify(text)
  return flat.length > 200 ? `${flat.slice(0, 200)}…"` : flat
}

/**
 * `structure.command` findings of one CST commandTest's result: the exit code (default 0), every
 * expectedOutput/expectedError regex found in stdout/stderr, no excludedOutput/excludedError one.
 *
 * @example
 * checkCommand({ name: 'v', command: 'app', expectedOutput: ['1\\.0'] }, { image, exitCode: 0, stdout: 'app 1.0', stderr: '' })
 */
export function checkCommand(test: CommandTest, result: CommandResult): Finding[] {
  const findings: Finding[] = []
  const argv = [test.command, ...(test.args ?? [])].join(' ')
  const fail = (message: string, rebuilt?: unknown) =>
    findings.push(
      newFinding({
        check: 'structure.command',
        key: test.name,
        rebuilt,
        message: `command ${argv}: ${message}`,
      }),
    )
  const exitCode = test.exitCode ?? 0
  if (result.exitCode !== exitCode)
    fail(
      `expected exit code ${exitCode}, got ${result.exitCode} (stderr ${excerpt(result.stderr)})`,
      result.exitCode,
    )
  const streams = [
    ['stdout', result.stdout, test.expectedOutput, test.excludedOutput],
    ['stderr', result.stderr, test.expectedError, test.excludedError],
  ] as const
  for (const [name, text, expected, excluded] of streams) {
    for (const pattern of expected ?? [])
      if (!goRegExp(pattern).test(text))
        fail(`expected ${name} to match /${pattern}/, got ${excerpt(text)}`, text)
    for (const pattern of excluded ?? [])
      if (goRegExp(pattern).test(text))
        fail(`expected ${name} not to match /${pattern}/, got ${excerpt(text)}`, text)
  }
  return findings
}
