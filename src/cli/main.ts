import { parseArgs } from 'node:util'
import { ImgtestError } from '../errors.ts'
import { imgtestVersion } from '../imgtest-version.ts'
import { fail } from './fail.ts'
import { runtimeCliUsage } from './runtime-options.ts'

export const USAGE = `Usage:
  imgtest [filters...] [--junit <file>] [--shard <i>/<n>] [--root <dir>]
      run every *.parity.test.ts (vitest) under the root; filters select test files
  imgtest compare <upstream> <rebuilt> [--json] [--policy <file>] [--max-size-ratio <n>] [--size-slack <bytes>]
                  [--path <glob>]... [--config-only] [--runtime --ready-port <port> ...]
      static parity report (interface, size, files, users, packages), and with --runtime what
      the containers do (startup, HTTP, command, stop): exit 0 parity, 1 differences, 2 error
  imgtest sbom <image> [--format cyclonedx|spdx] [--output <file>]
      an SBOM of what is really installed in the image (CycloneDX 1.6 or SPDX 2.3 JSON)
  imgtest inspect <image> [--json]
      what imgtest reads of one image
  imgtest init [--upstream <ref>] [--rebuilt <ref>] [--dir <dir>]
      write imgtest.config.ts and a first images.parity.test.ts (never overwrites)
  imgtest prune [--dry-run] [--all]
      remove containers, networks and structure-test setup images a crashed run left
      (--all: also those of runs still alive)

Images: name:tag (local engine, then registry), docker-daemon:name:tag, docker://host/name:tag,
        docker-archive:file.tar[:name:tag], oci-archive:file.tar[:tag], oci:dir[:tag]
compare --runtime options:
${runtimeCliUsage}
Options:
  --junit <file>              write a JUnit XML report
  --junit-properties <where>  system-out (default) or element: where testcase properties go
  --shard <i>/<n>             run the i-th of n shards of the test files
  --root <dir>                project root (default: the current directory)
  -h, --help                  this text
  -v, --version               imgtest's version`

/** The CLI: returns the exit code (0 pass, 1 differences or failed tests, 2 error). */
export async function main(argv: string[]): Promise<number> {
  try {
    const [command, ...rest] = argv
    // Commands load on demand: compare should not pay for starting vitest, nor the runner for image sources.
    if (command === 'compare') return await (await import('./compare-command.ts')).compareCommand(rest)
    if (command === 'inspect') return await (await import('./inspect-command.ts')).inspectCommand(rest)
    if (command === 'sbom') return await (await import('./sbom-command.ts')).sbomCommand(rest)
    if (command === 'init') return await (await import('./init-command.ts')).initCommand(rest)
    if (command === 'prune') return await (await import('./prune-command.ts')).pruneCommand(rest)
    const { values, positionals } = parseArgs({
      args: command === 'run' ? rest : argv,
      allowPositionals: true,
      options: {
        junit: { type: 'string' },
        'junit-properties': { type: 'string' },
        shard: { type: 'string' },
        root: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    })
    if (values.help) {
      process.stdout.write(`${USAGE}\n`)
      return 0
    }
    if (values.version) {
      process.stdout.write(`${imgtestVersion()}\n`)
      return 0
    }
    const where = values['junit-properties']
    if (where !== undefined && where !== 'system-out' && where !== 'element') {
      throw new ImgtestError(
        'IMGTEST_USAGE',
        `--junit-properties must be system-out or element, not '${where}'`,
      )
    }
    const { runCommand } = await import('./run-command.ts')
    return await runCommand({
      filters: positionals,
      junit: values.junit,
      junitProperties: where,
      shard: values.shard,
      root: values.root,
    })
  } catch (error) {
    return fail(usageError(error))
  }
}

/** parseArgs' own errors (unknown option, missing value) become usage errors with a pointer to --help. */
export function usageError(error: unknown): unknown {
  if (error instanceof Error && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) {
    return new ImgtestError('IMGTEST_USAGE', `${error.message}; see imgtest --help`, { cause: error })
  }
  return error
}
