import { fileURLToPath } from 'node:url'
import type { Reporter } from 'vitest/node'
import { startVitest } from 'vitest/node'
import type { ImgtestConfig } from '../config/imgtest-config.ts'
import { loadConfig } from '../config/load-config.ts'
import { ImgtestError, isImgtestError } from '../errors.ts'
import { JUnitReporter } from '../report/junit-reporter.ts'

export interface RunOptions {
  /** Project root: where `*.parity.test.ts` files and `imgtest.config.ts` are looked for. Default: cwd. */
  root?: string
  /** Vitest file filters (substrings of test file paths). */
  filters?: string[]
  /** Write a JUnit XML report here. */
  junit?: string
  /** Where testcase properties go in the JUnit file (see JUnitReporterOptions). */
  junitProperties?: 'system-out' | 'element'
  /** `i/n`: run the i-th of n shards. */
  shard?: string
  /** Use this config instead of looking for `imgtest.config.*` in the root. */
  config?: ImgtestConfig
  /** Extra vitest reporters, after the default one. */
  reporters?: Reporter[]
}

export interface RunResult {
  /** 0 when every test passed, 1 otherwise. */
  exitCode: number
}

// The running package's own files: tests resolve 'imgtest' to them, so matchers and pair() share one instance.
const extension = import.meta.url.endsWith('.ts') ? '.ts' : '.js'
const selfEntry = fileURLToPath(new URL(`../index${extension}`, import.meta.url))
const setupFile = fileURLToPath(new URL(`../../matchers/setup${extension}`, import.meta.url))

const SHARD = /^[1-9]\d*\/[1-9]\d*$/

/**
 * Run every `*.parity.test.ts` under the root through vitest, with imgtest's matchers registered.
 *
 * @example
 * const { exitCode } = await runImgtest({ root: 'examples', junit: 'report.xml' })
 */
export async function runImgtest(options: RunOptions = {}): Promise<RunResult> {
  const root = options.root ?? process.cwd()
  const config = options.config ?? (await loadConfig(root))
  if (options.shard !== undefined) {
    const [index, count] = options.shard.split('/').map(Number)
    if (!SHARD.test(options.shard) || index === undefined || count === undefined || index > count) {
      throw new ImgtestError(
        'IMGTEST_USAGE',
        `--shard ${options.shard} is not <index>/<count> with 1 <= index <= count`,
      )
    }
  }
  const reporters: (Reporter | 'default')[] = ['default', ...(options.reporters ?? [])]
  if (options.junit)
    reporters.push(
      new JUnitReporter({ outputFile: options.junit, testcaseProperties: options.junitProperties }),
    )

  const previousExitCode = process.exitCode
  const vitest = await startVitest(
    options.filters ?? [],
    {
      root,
      config: false,
      watch: false,
      include: config.include ?? ['**/*.parity.test.{ts,mts,js,mjs}'],
      exclude: ['**/node_modules/**', '**/dist/**'],
      globals: true,
      setupFiles: [setupFile],
      provide: { imgtestPolicy: config.policy },
      testTimeout: config.testTimeout ?? 300_000,
      hookTimeout: config.testTimeout ?? 300_000,
      // Parity checks of one file share image snapshots; files run in parallel.
      reporters,
      shard: options.shard,
      passWithNoTests: false,
    },
    { resolve: { alias: [{ find: /^imgtest$/, replacement: selfEntry }] } },
  )
  await vitest.close()
  await sweepDeadWorkers()
  const failed =
    process.exitCode !== undefined && process.exitCode !== 0 && process.exitCode !== previousExitCode
  const exitCode =
    failed || vitest.state.getCountOfFailedTests() > 0 || !vitest.state.getFiles().length ? 1 : 0
  process.exitCode = previousExitCode
  return { exitCode }
}

// A worker killed before its cleanup ran (vitest SIGKILLs stuck workers) leaves containers whose
// process is gone: remove those, never a live run's. Without an engine there is nothing to sweep.
async function sweepDeadWorkers(): Promise<void> {
  try {
    const { pruneLeftovers } = await import('../runtime/prune-leftovers.ts')
    const { removed } = await pruneLeftovers()
    for (const { kind, name, id } of removed) {
      process.stderr.write(`imgtest: removed leftover ${kind} ${name} (${id.slice(0, 12)})\n`)
    }
  } catch (error) {
    if (isImgtestError(error) && error.code === 'IMGTEST_DAEMON_UNREACHABLE') return
    process.stderr.write(`imgtest: could not sweep leftover containers: ${(error as Error).message}\n`)
  }
}
