import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

/**
 * SPDX license expressions (SPDX 2.3 annex D) checked against the SPDX license and exception
 * lists that `@cyclonedx/cyclonedx-library` ships, so no expression parser package is needed.
 */

interface SpdxLists {
  licenses: Map<string, string>
  exceptions: Map<string, string>
}

let lists: SpdxLists | undefined

// The library's list holds licenses, then exceptions, each sorted: the sort restarts where exceptions begin.
function spdxLists(): SpdxLists {
  if (lists) return lists
  const require = createRequire(import.meta.url)
  const pkg = require.resolve('@cyclonedx/cyclonedx-library/package.json')
  const schema = JSON.parse(readFileSync(join(dirname(pkg), 'res/schema/spdx.SNAPSHOT.schema.json'), 'utf8'))
  const ids: string[] = schema.enum
  let split = ids.findIndex((id, i) => i > 0 && id.toLowerCase() < (ids[i - 1] ?? '').toLowerCase())
  if (split === -1) split = ids.length
  const byLower = (part: string[]) => new Map(part.map((id) => [id.toLowerCase(), id]))
  lists = { licenses: byLower(ids.slice(0, split)), exceptions: byLower(ids.slice(split)) }
  return lists
}

/** The SPDX license id in its listed spelling (`mit` → `MIT`), or undefined when it is not listed. */
export function spdxLicenseId(text: string): string | undefined {
  return spdxLists().licenses.get(text.trim().toLowerCase())
}

/** The SPDX exception id in its listed spelling, or undefined when it is not listed. */
export function spdxExceptionId(text: string): string | undefined {
  return spdxLists().exceptions.get(text.trim().toLowerCase())
}

export interface SpdxExpressionOptions {
  /** Accept `LicenseRef-…` and `DocumentRef-…:LicenseRef-…`; SPDX documents must then define them. Default true. */
  allowRefs?: boolean
}

const REF = /^(DocumentRef-[A-Za-z0-9.-]+:)?LicenseRef-[A-Za-z0-9.-]+$/

/**
 * A license text as a valid SPDX expression in canonical spelling, or undefined when it is none.
 * Ids match case-insensitively (as SPDX says) and come out as listed; `and`/`or`/`with` come out upper-case.
 *
 * @example
 * spdxExpression('mit or apache-2.0') // 'MIT OR Apache-2.0'
 * spdxExpression('GPL-2.0-or-later WITH Classpath-exception-2.0') // same text
 * spdxExpression('GPL-2+') // undefined: a Debian spelling, not SPDX
 */
export function spdxExpression(text: string, options: SpdxExpressionOptions = {}): string | undefined {
  const { allowRefs = true } = options
  const tokens = text.match(/\(|\)|[^\s()]+/g)
  if (!tokens || tokens.length === 0) return undefined
  const out: string[] = []
  let at = 0

  const simple = (): boolean => {
    const token = tokens[at]
    if (token === undefined) return false
    const plus = token.endsWith('+') && token.length > 1
    const id = spdxLicenseId(plus ? token.slice(0, -1) : token)
    if (id !== undefined) {
      out.push(plus ? `${id}+` : id)
    } else if (allowRefs && REF.test(token)) {
      out.push(token)
    } else {
      return false
    }
    at++
    return true
  }
  // with := simple ['WITH' exception] | '(' or ')'
  const unit = (): boolean => {
    if (tokens[at] === '(') {
      out.push('(')
      at++
      if (!or() || tokens[at] !== ')') return false
      out.push(')')
      at++
      return true
    }
    if (!simple()) return false
    if (tokens[at]?.toUpperCase() === 'WITH') {
      const exception = spdxExceptionId(tokens[at + 1] ?? '')
      if (exception === undefined) return false
      out.push('WITH', exception)
      at += 2
    }
    return true
  }
  const chain = (operator: 'AND' | 'OR', operand: () => boolean) => (): boolean => {
    if (!operand()) return false
    while (tokens[at]?.toUpperCase() === operator) {
      out.push(operator)
      at++
      if (!operand()) return false
    }
    return true
  }
  const and = chain('AND', unit)
  const or = chain('OR', and)

  if (!or() || at !== tokens.length) return undefined
  return out.join(' ').replaceAll('( ', '(').replaceAll(' )', ')')
}
