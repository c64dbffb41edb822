import type { Finding } from '../../src/compare/finding.ts'
import type { ImageHandle } from '../../src/image/image-handle.ts'
import type { RunStructureTestOptions, StructureTestSuite } from '../structure-test.ts'
import { checkFileContent } from './check-file-content.ts'
import { checkFileExistence } from './check-file-existence.ts'
import { checkLicense } from './check-license.ts'
import { checkMetadata } from './check-metadata.ts'
import { expandEnv } from './expand-env.ts'
import { readFileTexts } from './read-file-texts.ts'
import { runCommandTest } from './run-command-test.ts'

/** One test of a structure-test suite on one image: its findings, or the error that stopped it. */
export interface StructureTestResult {
  /** CST's own name for it (`File Existence Test: app`), made unique across the suite's files. */
  name: string
  findings: Finding[]
  /** Set when the test could not be judged (a command test's container failed to run). */
  error?: unknown
}

/**
 * Every test of the suite on one image, in CST's order: per file its existence, content,
 * metadata and license tests (read from layers and config, no container), then every file's
 * command tests (one-shot containers, setup steps committed in turn).
 *
 * @example
 * const results = await evaluateStructureTest(image('app:1'), structureTest('cst.yaml'))
 * // [{ name: 'File Existence Test: app', findings: [] }, …]
 */
export async function evaluateStructureTest(
  image: ImageHandle,
  suite: StructureTestSuite,
  options: RunStructureTestOptions = {},
): Promise<StructureTestResult[]> {
  const { snapshot, index, inventory } = await image.contents()
  const results: StructureTestResult[] = []
  const seen = new Map<string, number>()
  const add = (name: string, findings: Finding[], error?: unknown) => {
    // Two files may hold a test of the same kind and name: the second is `… #2`.
    const count = (seen.get(name) ?? 0) + 1
    seen.set(name, count)
    results.push({
      name: count === 1 ? name : `${name} #${count}`,
      findings,
      ...(error === undefined ? {} : { error }),
    })
  }
  // Paths may name the image's env vars, as CST allows: `$HOME/.profile`.
  const expand = <T extends { path: string }>(test: T): T => ({
    ...test,
    path: expandEnv(test.path, snapshot.config),
  })
  const contentPaths = suite.tests.flatMap((file) => (file.fileContentTests ?? []).map((t) => expand(t).path))
  const maxContentBytes = options.maxContentBytes ?? 16 * 1024 * 1024
  const texts = await readFileTexts(snapshot, index, contentPaths, maxContentBytes)
  for (const file of suite.tests) {
    for (const test of file.fileExistenceTests ?? [])
      add(`File Existence Test: ${test.name}`, checkFileExistence(index, expand(test)))
    for (const test of (file.fileContentTests ?? []).map(expand)) {
      const read = texts.get(test.path) ?? { why: 'not read' }
      add(
        `File Content Test: ${test.name}`,
        'text' in read ? checkFileContent(test, read.text) : checkFileContent(test, undefined, read.why),
      )
    }
    if (file.metadataTest !== undefined)
      add('Metadata Test', checkMetadata(snapshot.config, file.metadataTest))
    for (const test of file.licenseTests ?? []) add('License Test', checkLicense(index, inventory, test))
  }
  for (const file of suite.tests) {
    for (const test of file.commandTests ?? []) {
      try {
        add(
          `Command Test: ${test.name}`,
          await runCommandTest(image.ref, snapshot.config, test, file.globalEnvVars ?? [], options),
        )
      } catch (error) {
        add(`Command Test: ${test.name}`, [], error)
      }
    }
  }
  return results
}
