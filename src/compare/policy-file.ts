import { readFile } from 'node:fs/promises'
import { extname } from 'node:path'
import { parseDocument } from 'yaml'
import { ImgtestError } from '../errors.ts'
import type { Policy } from './policy.ts'
import { validatePolicy } from './validate-policy.ts'
import { yamlLocator } from './yaml-locator.ts'

type Position = { line: number; col: number }

function badPolicy(message: string, cause?: unknown): ImgtestError {
  return new ImgtestError('IMGTEST_BAD_POLICY', message, cause === undefined ? {} : { cause })
}

function positionText(pos: Position | undefined): string {
  return pos ? ` (line ${pos.line}, col ${pos.col})` : ''
}

/** Line and column of a character offset, both from 1. */
function positionAt(text: string, offset: number): Position {
  const before = text.slice(0, offset).split('\n')
  return { line: before.length, col: (before.at(-1)?.length ?? 0) + 1 }
}

function parseJson(text: string, path: string): unknown {
  try {
    return JSON.parse(text)
  } catch (error) {
    const raw = error instanceof Error ? error.message : String(error)
    // V8 says "… in JSON at position 11 (line 3 column 1)"; the offset is the part every version gives.
    const match = /^(.*?) in JSON at position (\d+)/s.exec(raw)
    // Some messages quote the source instead (`Unexpected token '}', "{"allow": [}" is not valid JSON`),
    // which may span lines: keep the first clause, and ask the YAML parser (JSON is YAML) where it broke.
    const reason = (match?.[1] ?? raw).replace(/, ".*" is not valid JSON$/s, '').replace(/\s+/g, ' ')
    const pos =
      match?.[2] === undefined
        ? parseDocument(text).errors[0]?.linePos?.[0]
        : positionAt(text, Number(match[2]))
    throw badPolicy(`invalid JSON in ${path}${positionText(pos)}: ${reason}; fix the syntax`, error)
  }
}

function parseYaml(text: string, path: string): unknown {
  const doc = parseDocument(text)
  const error = doc.errors[0]
  if (error !== undefined) {
    // The yaml package appends "at line N, column M:" and a code excerpt; keep the first sentence.
    const reason = error.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '') ?? error.code
    const pos = error.linePos?.[0]
    throw badPolicy(`invalid YAML in ${path}${positionText(pos)}: ${reason}; fix the syntax`, error)
  }
  try {
    return doc.toJS()
  } catch (cause) {
    throw badPolicy(
      `cannot read YAML in ${path}: ${cause instanceof Error ? cause.message : String(cause)}`,
      cause,
    )
  }
}

/**
 * Reads a policy from a `.json`, `.yaml` or `.yml` file and validates it. Every problem (unreadable
 * file, bad syntax, unknown key, wrong type) is an `IMGTEST_BAD_POLICY` error whose one-line message
 * names the file, the JSON path and the line and column. An empty YAML file is an empty policy.
 *
 * @example
 * const policy = await loadPolicyFile('imgtest.policy.yaml')
 * // allow:
 * //   - check: interface.user
 * //     reason: the rebuild runs as non-root
 */
export async function loadPolicyFile(path: string): Promise<Policy> {
  const extension = extname(path).toLowerCase()
  if (extension !== '.json' && extension !== '.yaml' && extension !== '.yml') {
    throw badPolicy(
      `cannot read policy file ${path}: unknown extension '${extension}'; use .json, .yaml or .yml`,
    )
  }
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code
    const reason =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'it is a directory'
          : code === 'EACCES'
            ? 'permission denied'
            : String((cause as Error).message)
    throw badPolicy(`cannot read policy file ${path}: ${reason}; check the path`, cause)
  }
  // Editors on Windows may save a byte-order mark, which JSON.parse rejects.
  if (text.startsWith('\uFEFF')) text = text.slice(1)
  // A YAML file with only comments parses to null: it allows nothing, like `{}`.
  const value = extension === '.json' ? parseJson(text, path) : (parseYaml(text, path) ?? {})
  return validatePolicy(value, path, yamlLocator(text))
}
