import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { ImgtestError } from '../errors.ts'
import { fail } from './fail.ts'

export const USAGE = `Usage:
  imgtest [filters...] [--junit <file>] [--shard <i>/<n>] [--root <dir>]
      run every *.parity.test.ts (vitest) under the root; filters select test files
  imgtest compare <upstream> <rebuilt> [--json] [--policy <file>] [--max-size-ratio <n>] [--size-slack <bytes>]
      static parity report: exit 0 parity, 1 differences, 2 error
  imgtest inspect <image> [--json]
      what imgtest reads of one image

Images: name:tag (local engine, then registry), docker-daemon:name:tag, docker://host/name:tag,
        docker-archive:file.tar[:name:tag], oci-archive:file.tar[:tag], oci:dir[:tag]
Options:
  --junit <file>              write a JUnit XML report
  --junit-properties <where>  system-out (default) or element: where testcase properties go
  --shard <i>/<n>             run the i-th of n shards of the test files
  --root <dir>                project root (default: the current directory)
  -h, --help                  this text
  -v, --version               imgtest's version`

const RESERVED = new Set(['sbom', 'init', 'prune'])

/** The CLI: returns the exit code (0 pass, 1 differences or failed tests, 2 error). */
export async function main(argv: string[]): Promise<number> {
  try {
    const [command, ...rest] = argv
    // Commands load on demand: compare should not pay for starting vitest, nor the runner for image sources.
    if (command === 'compare') return await (await import('./compare-command.ts')).compareCommand(rest)
    if (command === 'inspect') return await (await import('./inspect-command.ts')).inspectCommand(rest)
    if (command !== undefined && RESERVED.has(command)) {
      throw new ImgtestError(
        'IMGTEST_USAGE',
        `'imgtest ${command}' is not available in this version; see imgtest --help`,
      )
    }
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
      process.stdout.write(`${version()}\n`)
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

// src/cli in development, dist/src/cli once built: the first package.json up the tree is imgtest's.
function version(): string {
  for (const up of ['../../package.json', '../../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(up, import.meta.url), 'utf8')) as {
        name?: string
        version: string
      }
      if (pkg.name === 'imgtest') return pkg.version
    } catch {}
  }
  return 'unknown'
}
