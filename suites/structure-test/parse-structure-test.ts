import { readFileSync } from 'node:fs'
import { parseDocument } from 'yaml'
import { assertSchema } from '../../src/compare/validate-policy.ts'
import { yamlLocator } from '../../src/compare/yaml-locator.ts'
import { ImgtestError } from '../../src/errors.ts'
import { goRegExp } from './go-regexp.ts'
import { type StructureTestFile, structureTestSchema } from './structure-test-schema.ts'

function badSuite(message: string, cause?: unknown): ImgtestError {
  return new ImgtestError('IMGTEST_BAD_CONFIG', message, cause === undefined ? {} : { cause })
}

/**
 * Parses and validates the text of one container-structure-test file (schemaVersion 2.0.0).
 * `where` (the file's path) is named in every error, with the bad key's JSON path and line.
 *
 * @example
 * parseStructureTest("schemaVersion: '2.0.0'\nfileExistenceTests: []", 'cst.yaml')
 */
export function parseStructureTest(text: string, where: string): StructureTestFile {
  const doc = parseDocument(text)
  const error = doc.errors[0]
  if (error !== undefined) {
    const reason = error.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '') ?? error.code
    const pos = error.linePos?.[0]
    const at = pos ? ` (line ${pos.line}, col ${pos.col})` : ''
    throw badSuite(`invalid YAML in ${where}${at}: ${reason}; fix the syntax`, error)
  }
  const value: unknown = doc.toJS()
  assertSchema(structureTestSchema, value, where, 'IMGTEST_BAD_CONFIG', yamlLocator(text))
  const file = value as StructureTestFile
  // Regexes are compiled here so a bad one is a config error naming the file, not a failing test.
  const patterns = [
    ...(file.commandTests ?? []).flatMap((t) => [
      ...(t.expectedOutput ?? []),
      ...(t.excludedOutput ?? []),
      ...(t.expectedError ?? []),
      ...(t.excludedError ?? []),
    ]),
    ...(file.fileContentTests ?? []).flatMap((t) => [
      ...(t.expectedContents ?? []),
      ...(t.excludedContents ?? []),
    ]),
  ]
  for (const pattern of patterns) {
    try {
      goRegExp(pattern)
    } catch (cause) {
      throw badSuite(
        `invalid regular expression ${JSON.stringify(pattern)} in ${where}; fix or escape it`,
        cause,
      )
    }
  }
  return file
}

/** Reads and parses one CST file from disk; an unreadable file is a config error naming it. */
export function readStructureTest(path: string): StructureTestFile {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (cause) {
    throw badSuite(
      `cannot read structure-test file ${path}: ${(cause as Error).message}; check the path`,
      cause,
    )
  }
  return parseStructureTest(text, path)
}
