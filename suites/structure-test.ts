import type { Finding } from '../src/compare/finding.ts'
import { ImgtestError } from '../src/errors.ts'
import type { ImageHandle } from '../src/image/image-handle.ts'
import type { ContainerOptions } from '../src/runtime/container-types.ts'
import { checkFileContent } from './structure-test/check-file-content.ts'
import { checkFileExistence } from './structure-test/check-file-existence.ts'
import { checkLicense } from './structure-test/check-license.ts'
import { checkMetadata } from './structure-test/check-metadata.ts'
import { expandEnv } from './structure-test/expand-env.ts'
import { readStructureTest } from './structure-test/parse-structure-test.ts'
import { readFileTexts } from './structure-test/read-file-texts.ts'
import { runCommandTest } from './structure-test/run-command-test.ts'
import type { StructureTestFile } from './structure-test/structure-test-schema.ts'

/** container-structure-test files, parsed and validated; run with `runStructureTest`. */
export interface StructureTestSuite {
  kind: 'structure-test'
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
export function structureTest(yamlFiles: string[] | string): StructureTestSuite {
  const files = typeof yamlFiles === 'string' ? [yamlFiles] : [...yamlFiles]
  if (files.length === 0)
    throw new ImgtestError('IMGTEST_USAGE', 'structureTest() needs at least one YAML file; pass its path')
  return { kind: 'structure-test', files, tests: files.map((file) => readStructureTest(file)) }
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
  const { snapshot, index, inventory } = await image.contents()
  const findings: Finding[] = []
  // Paths may name the image's env vars, as CST allows: `$HOME/.profile`.
  const expand = <T extends { path: string }>(test: T): T => ({
    ...test,
    path: expandEnv(test.path, snapshot.config),
  })
  const contentPaths = suite.tests.flatMap((file) => (file.fileContentTests ?? []).map((t) => expand(t).path))
  const maxContentBytes = options.maxContentBytes ?? 16 * 1024 * 1024
  const texts = await readFileTexts(snapshot, index, contentPaths, maxContentBytes)
  // Per file, in CST's order: existence, content, metadata, licenses; command tests (containers) last.
  for (const file of suite.tests) {
    for (const test of file.fileExistenceTests ?? [])
      findings.push(...checkFileExistence(index, expand(test)))
    for (const test of (file.fileContentTests ?? []).map(expand)) {
      const read = texts.get(test.path) ?? { why: 'not read' }
      findings.push(
        ...('text' in read ? checkFileContent(test, read.text) : checkFileContent(test, undefined, read.why)),
      )
    }
    if (file.metadataTest !== undefined) findings.push(...checkMetadata(snapshot.config, file.metadataTest))
    for (const test of file.licenseTests ?? []) findings.push(...checkLicense(index, inventory, test))
  }
  for (const file of suite.tests) {
    for (const test of file.commandTests ?? [])
      findings.push(
        ...(await runCommandTest(image.ref, snapshot.config, test, file.globalEnvVars ?? [], options)),
      )
  }
  return findings
}
