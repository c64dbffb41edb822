import { basename } from 'node:path'
import type { Finding } from '../src/compare/finding.ts'
import { ImgtestError } from '../src/errors.ts'
import { type ImageHandle, image } from '../src/image/image-handle.ts'
import type { ContainerOptions } from '../src/runtime/container-types.ts'
import type { SuiteRunner } from '../src/suite/suite-parity.ts'
import type { SuiteCase, SuiteRun } from '../src/suite/suite-types.ts'
import { evaluateStructureTest } from './structure-test/evaluate-structure-test.ts'
import { readStructureTest } from './structure-test/parse-structure-test.ts'
import type { StructureTestFile } from './structure-test/structure-test-schema.ts'

/** container-structure-test files, parsed and validated; run with `runStructureTest`. */
export interface StructureTestSuite {
  kind: 'structure-test'
  /** For reports and policies' `suite` selectors: the option, or the files' base names joined by `+`. */
  name: string
  /** The files as given, for reports. */
  files: string[]
  /** Their parsed content, in the same order. */
  tests: StructureTestFile[]
}

export interface RunStructureTestOptions {
  /** Extra container settings for command tests (labels, network, user); env and cmd come from the test. */
  container?: Omit<ContainerOptions, 'ready' | 'cmd' | 'entrypoint'>
  /** Per command test, in ms (default 60000). */
  timeoutMs?: number
  /** Biggest file a fileContentTest reads (default 16 MiB). */
  maxContentBytes?: number
}

/**
 * Reads container-structure-test YAML files (schemaVersion 2.0.0) so teams can bring their CST
 * files. Throws `IMGTEST_BAD_CONFIG` naming the file, the bad key's path and its line.
 *
 * @example
 * const suite = structureTest(['cst/base.yaml', 'cst/app.yaml'])
 * const findings = await runStructureTest(image('registry.example/app:1'), suite)
 */
export function structureTest(
  yamlFiles: string[] | string,
  options: { name?: string } = {},
): StructureTestSuite {
  const files = typeof yamlFiles === 'string' ? [yamlFiles] : [...yamlFiles]
  if (files.length === 0)
    throw new ImgtestError('IMGTEST_USAGE', 'structureTest() needs at least one YAML file; pass its path')
  return {
    kind: 'structure-test',
    name: options.name ?? files.map((file) => basename(file)).join('+'),
    files,
    tests: files.map((file) => readStructureTest(file)),
  }
}

/**
 * Runs a structure-test suite on one image. File, content, metadata and license tests read the
 * image's layers and config (no container: they pass on shell-less images); each command test runs
 * in a fresh one-shot container, entrypoint cleared and setup steps committed in turn as CST does. Returns `structure.*` findings
 * (the image's value in `rebuilt`), none when every test passes.
 *
 * @example
 * const findings = await runStructureTest(image('app:1'), structureTest('cst.yaml'))
 * // [{ check: 'structure.file', key: 'passwd', message: 'file /etc/passwd: expected permissions -rw-r--r--, got -rw-------' }]
 */
export async function runStructureTest(
  image: ImageHandle,
  suite: StructureTestSuite,
  options: RunStructureTestOptions = {},
): Promise<Finding[]> {
  const results = await evaluateStructureTest(image, suite, options)
  const failed = results.find((result) => result.error !== undefined)
  if (failed !== undefined) throw failed.error
  return results.flatMap((result) => result.findings)
}

/**
 * Runs a structure-test suite on one image as a suite run: one case per CST test, named as CST
 * names it (`File Existence Test: app`, `Command Test: app runs`, `Metadata Test`), `pass` without
 * findings, `fail` with them (their messages as the output), `error` when a command test could
 * not run. What `toPassUpstreamSuite` compares on both images of a pair.
 *
 * @example
 * const run = await runStructureTestCases('app:1', structureTest('cst.yaml'))
 * // { suite: 'cst.yaml', cases: [{ name: 'File Existence Test: app', outcome: 'pass' }, …], … }
 */
export async function runStructureTestCases(
  ref: string,
  suite: StructureTestSuite,
  options: RunStructureTestOptions = {},
): Promise<SuiteRun> {
  const results = await evaluateStructureTest(image(ref), suite, options)
  const log = [`structure-test ${suite.name} (${suite.files.join(', ')}) on ${ref}`]
  const cases = results.map((result): SuiteCase => {
    const why =
      result.error !== undefined
        ? [result.error instanceof Error ? result.error.message : String(result.error)]
        : result.findings.map((finding) => finding.message)
    const outcome = result.error !== undefined ? 'error' : why.length > 0 ? 'fail' : 'pass'
    log.push(`--- ${result.name}: ${outcome}`, ...why.map((line) => `  ${line}`))
    return { name: result.name, outcome, ...(why.length > 0 ? { output: why.join('; ') } : {}) }
  })
  return { image: ref, suite: suite.name, cases, log: `${log.join('\n')}\n`, timedOut: false }
}

/**
 * How `runSuiteInBoth` runs a structure-test suite; a flaky re-run takes only the named tests.
 *
 * @example
 * await runSuiteInBoth(pair, structureTest('cst.yaml'), {}, structureTestRunner)
 */
export const structureTestRunner: SuiteRunner<StructureTestSuite> = {
  run: (ref, suite) => runStructureTestCases(ref, suite),
  only: (suite, names) => onlyStructureTests(suite, names),
}

/** The suite with only the tests whose case names are given (the rest of each file dropped). */
export function onlyStructureTests(
  suite: StructureTestSuite,
  names: ReadonlySet<string>,
): StructureTestSuite {
  // Names made unique with `#n` refer to a test of a later file: keep every test of that kind and name.
  const wanted = new Set([...names].map((name) => name.replace(/ #\d+$/, '')))
  const keep = <T extends { name: string }>(kind: string, tests: T[] | undefined) =>
    tests?.filter((test) => wanted.has(`${kind}: ${test.name}`))
  return {
    ...suite,
    tests: suite.tests.map((file) => {
      const { metadataTest, licenseTests, ...rest } = file
      return {
        ...rest,
        commandTests: keep('Command Test', file.commandTests),
        fileExistenceTests: keep('File Existence Test', file.fileExistenceTests),
        fileContentTests: keep('File Content Test', file.fileContentTests),
        ...(metadataTest !== undefined && wanted.has('Metadata Test') ? { metadataTest } : {}),
        ...(licenseTests !== undefined && wanted.has('License Test') ? { licenseTests } : {}),
      }
    }),
  }
}
