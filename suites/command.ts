import { ImgtestError } from '../src/errors.ts'
import { inShard, parseShard, type SuiteShard } from '../src/suite/suite-shard.ts'
import type { CommandCase, CommandSuite, SuiteContainer } from '../src/suite/suite-types.ts'

export interface CommandSuiteOptions {
  /** Suite name in reports (default `commands`). */
  name?: string
  container?: SuiteContainer
  /** Budget for the whole run in ms (default 300000). */
  timeoutMs?: number
  /** How many commands run at once (default 1). */
  parallel?: number
  /** Run one part of the cases, `'2/4'` (1-based), to spread many commands over CI jobs. */
  shard?: string | SuiteShard
}

/**
 * A suite of commands, each one case run as the command of a one-shot container of each image:
 * the simplest way to port sanity checks. A case passes on exit code `expect.exit` (default 0)
 * and, when given, `expect.stdout` (exact text or a pattern).
 *
 * @example
 * const sanity = suites.command([
 *   { name: 'httpd help', command: ['httpd', '--help'], expect: { exit: 1 } },
 *   { name: 'uid', command: ['id', '-u'], expect: { stdout: '0' } },
 * ])
 * await expect(web).toPassUpstreamSuite(sanity)
 */
export function command(cases: CommandCase[], options: CommandSuiteOptions = {}): CommandSuite {
  if (!Array.isArray(cases) || cases.length === 0) {
    throw new ImgtestError(
      'IMGTEST_USAGE',
      'suites.command() needs a non-empty array of { name, command, expect? }',
    )
  }
  const seen = new Set<string>()
  for (const [index, spec] of cases.entries()) {
    const where = `suites.command() case ${index}`
    if (typeof spec?.name !== 'string' || spec.name === '') {
      throw new ImgtestError('IMGTEST_USAGE', `${where} needs a non-empty name`)
    }
    if (seen.has(spec.name)) {
      throw new ImgtestError(
        'IMGTEST_USAGE',
        `${where}: the name ${JSON.stringify(spec.name)} is used twice; names are case keys`,
      )
    }
    seen.add(spec.name)
    if (
      !Array.isArray(spec.command) ||
      spec.command.length === 0 ||
      spec.command.some((a) => typeof a !== 'string')
    ) {
      throw new ImgtestError(
        'IMGTEST_USAGE',
        `${where} (${spec.name}): command is a non-empty array of strings such as ['app', '--version']`,
      )
    }
    const stdout = spec.expect?.stdout
    if (stdout !== undefined && typeof stdout !== 'string' && !(stdout instanceof RegExp)) {
      throw new ImgtestError(
        'IMGTEST_USAGE',
        `${where} (${spec.name}): expect.stdout is a string or a RegExp`,
      )
    }
  }
  if (options.timeoutMs !== undefined && !(options.timeoutMs > 0)) {
    throw new ImgtestError(
      'IMGTEST_USAGE',
      `suites.command(): timeoutMs must be a positive number of ms, got ${options.timeoutMs}`,
    )
  }
  if (options.parallel !== undefined && !(Number.isInteger(options.parallel) && options.parallel > 0)) {
    throw new ImgtestError(
      'IMGTEST_USAGE',
      `suites.command(): parallel is a whole number of cases at once (1 or more), got ${options.parallel}`,
    )
  }
  const shard = options.shard === undefined ? undefined : parseShard(options.shard, 'suites.command()')
  return {
    kind: 'command',
    name: options.name ?? 'commands',
    cases: inShard(cases, shard).map((spec) => ({ ...spec, command: [...spec.command] })),
    ...(options.container === undefined ? {} : { container: options.container }),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    ...(options.parallel === undefined ? {} : { parallel: options.parallel }),
  }
}
