import { resolve } from 'node:path'
import { ImgtestError } from '../src/errors.ts'
import { parseShard, type SuiteShard } from '../src/suite/suite-shard.ts'
import type { DockerLibrarySuite } from '../src/suite/suite-types.ts'

export interface DockerLibraryOptions {
  /** The root of a clone of https://github.com/docker-library/official-images (relative to the cwd). */
  checkout: string
  /**
   * The official image name tests are chosen for, such as `python:3.11-slim`: a rebuilt image's
   * own ref (`myorg/python-hardened:3.11`) matches nothing in config.sh. Default: each image's ref.
   */
  image?: string
  /** Config files sourced in order, as run.sh's `-c` (default: the checkout's test/config.sh only). */
  configs?: string[]
  /** Only these tests, as run.sh's `-t`. */
  tests?: string[]
  /** Match repos with their namespace (`myorg/python`), as run.sh's `--keep-namespace`. */
  keepNamespace?: boolean
  /** Suite name in reports (default `docker-library`). */
  name?: string
  /** How many tests run at once (default 1). */
  parallel?: number
  /** Budget for the whole run in ms (default 300000). */
  timeoutMs?: number
  /** Run one part of the chosen tests, `'2/4'` (1-based), to spread them over CI jobs. */
  shard?: string | SuiteShard
}

/**
 * The docker-library official-images tests from a checkout, run against each image as the
 * checkout's test/run.sh would: test/config.sh chooses the tests for `image` (aliases, variants,
 * excludes), each `test/tests/<name>/run.sh <ref>` is one case that passes on exit code 0 and, if
 * the test has an expected-std-out.txt, that exact stdout. Both images of a pair run the same tests.
 *
 * @example
 * const official = suites.dockerLibrary({ checkout: 'vendor/official-images', image: 'python:3.11' })
 * await expect(python).toPassUpstreamSuite(official)
 */
export function dockerLibrary(options: DockerLibraryOptions): DockerLibrarySuite {
  const where = 'suites.dockerLibrary()'
  if (typeof options?.checkout !== 'string' || options.checkout === '') {
    throw new ImgtestError(
      'IMGTEST_USAGE',
      `${where} needs checkout: the path of a clone of https://github.com/docker-library/official-images`,
    )
  }
  if (options.image !== undefined && (typeof options.image !== 'string' || !/^\S+$/.test(options.image))) {
    throw new ImgtestError(
      'IMGTEST_USAGE',
      `${where}: image is an official image name such as python:3.11-slim, got ${JSON.stringify(options.image)}`,
    )
  }
  for (const key of ['configs', 'tests'] as const) {
    const list = options[key]
    if (
      list !== undefined &&
      (!Array.isArray(list) || list.length === 0 || list.some((v) => typeof v !== 'string' || v === ''))
    ) {
      throw new ImgtestError(
        'IMGTEST_USAGE',
        `${where}: ${key} is a non-empty array of ${key === 'configs' ? 'config file paths' : 'test names'}, got ${JSON.stringify(list)}`,
      )
    }
  }
  if (options.timeoutMs !== undefined && !(options.timeoutMs > 0)) {
    throw new ImgtestError(
      'IMGTEST_USAGE',
      `${where}: timeoutMs must be a positive number of ms, got ${options.timeoutMs}`,
    )
  }
  if (options.parallel !== undefined && !(Number.isInteger(options.parallel) && options.parallel > 0)) {
    throw new ImgtestError(
      'IMGTEST_USAGE',
      `${where}: parallel is a whole number of tests at once (1 or more), got ${options.parallel}`,
    )
  }
  return {
    kind: 'docker-library',
    name: options.name ?? 'docker-library',
    // Absolute now, so logs and re-runs do not depend on a later cwd.
    checkout: resolve(options.checkout),
    ...(options.image === undefined ? {} : { image: options.image }),
    ...(options.configs === undefined ? {} : { configs: options.configs.map((c) => resolve(c)) }),
    ...(options.tests === undefined ? {} : { tests: [...options.tests] }),
    ...(options.keepNamespace === undefined ? {} : { keepNamespace: options.keepNamespace }),
    ...(options.parallel === undefined ? {} : { parallel: options.parallel }),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    ...(options.shard === undefined ? {} : { shard: parseShard(options.shard, 'suites.dockerLibrary()') }),
  }
}
