import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv'
import { ImgtestError, type ImgtestErrorCode } from '../errors.ts'
import type { AllowRule, KnownFailure, Policy } from './policy.ts'
import { policySchema } from './policy-schema.ts'

/** Where a JSON pointer's segments sit in a source file, for messages; `key` asks for the key rather than its value. */
export type Locate = (path: string[], key: boolean) => { line: number; col: number } | undefined

const compiled = new Map<object, ValidateFunction>()

// Compiled on first use: importing the policy module (every matcher does) should cost nothing.
function validator(schema: object): ValidateFunction {
  let validate = compiled.get(schema)
  if (validate === undefined) {
    validate = new Ajv({ allErrors: true, verbose: true, strict: true }).compile(schema)
    compiled.set(schema, validate)
  }
  return validate
}

// The error a person should fix first: a misspelt key explains a missing one, a wrong type explains the rest.
const PRIORITY = ['additionalProperties', 'required', 'type', 'minLength']

function rank(error: ErrorObject): number {
  const index = PRIORITY.indexOf(error.keyword)
  return index === -1 ? PRIORITY.length : index
}

function segments(pointer: string): string[] {
  return pointer === ''
    ? []
    : pointer
        .slice(1)
        .split('/')
        .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'))
}

function pointerOf(parts: string[]): string {
  return parts.length === 0
    ? '/'
    : `/${parts.map((s) => s.replaceAll('~', '~0').replaceAll('/', '~1')).join('/')}`
}

function describeData(value: unknown): string {
  if (value === null) return 'null'
  if (value === undefined) return 'nothing'
  if (Array.isArray(value)) return 'an array'
  if (typeof value === 'object') return 'an object'
  if (typeof value === 'string') return `a string (${JSON.stringify(value)})`
  if (typeof value === 'number' || typeof value === 'boolean') return `a ${typeof value} (${String(value)})`
  return `a ${typeof value}`
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`
}

/** Edit distance, for "did you mean": keys are short, so the quadratic table is fine. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost)
    }
    previous = current
  }
  return previous[b.length] ?? 0
}

function schemaOf(error: ErrorObject): {
  properties?: Record<string, { description?: string }>
  description?: string
} {
  return (error.parentSchema ?? {}) as {
    properties?: Record<string, { description?: string }>
    description?: string
  }
}

/** One line that says what is wrong, where, and what is allowed there. */
function messageOf(error: ErrorObject, where: string, locate: Locate | undefined): string {
  const path = segments(error.instancePath)
  const schema = schemaOf(error)
  const at = (parts: string[], key: boolean) => {
    const pos = locate?.(parts, key)
    return `at ${pointerOf(parts)} in ${where}${pos ? ` (line ${pos.line}, col ${pos.col})` : ''}`
  }
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(error.params.additionalProperty)
      const allowed = Object.keys(schema.properties ?? {}).filter((name) => !name.startsWith('$'))
      const close = allowed.find((name) => distance(name, key.toLowerCase()) <= 2)
      const hint = close === undefined ? '' : ` (did you mean '${close}'?)`
      return `unknown key '${key}' ${at([...path, key], true)}; expected one of: ${allowed.join(', ')}${hint}`
    }
    case 'required': {
      const key = String(error.params.missingProperty)
      const description = schema.properties?.[key]?.description
      return `missing key '${key}' ${at(path, false)}; '${key}' is required${description ? `: ${description}` : ''}`
    }
    case 'type': {
      const expected = `${article(String(error.params.type))}${schema.description ? ` (${schema.description})` : ''}`
      return `wrong type ${at(path, false)}: expected ${expected}, got ${describeData(error.data)}`
    }
    case 'minLength':
      return `empty value ${at(path, false)}; expected ${schema.description ?? 'a non-empty string'}`
    default:
      return `invalid value ${at(path, false)}: ${error.message ?? error.keyword}`
  }
}

/**
 * Checks a value against a JSON schema; on failure throws `code` with the one line a person should
 * fix first (the bad key, its JSON path, `where` the value came from, what is allowed there).
 * Policies and `imgtest.config.*` share it.
 */
export function assertSchema(
  schema: object,
  value: unknown,
  where: string,
  code: ImgtestErrorCode,
  locate?: Locate,
): void {
  const validate = validator(schema)
  if (validate(value)) return
  const errors = [...(validate.errors ?? [])]
  const first = errors.sort((a, b) => rank(a) - rank(b))[0]
  throw new ImgtestError(code, first ? messageOf(first, where, locate) : `invalid value in ${where}`)
}

/**
 * A policy checked against `policySchema`: returns a clean copy, or throws `IMGTEST_BAD_POLICY` with
 * one line naming the bad key, its JSON path, `where` the policy came from and what is allowed there.
 * `locate` (given by `loadPolicyFile`) adds the line and column in the source file.
 *
 * @example
 * validatePolicy({ allow: [{ chek: 'interface.user' }] }, 'pair() in web.parity.test.ts')
 * // throws: unknown key 'chek' at /allow/0/chek in pair() in web.parity.test.ts; expected one of: check, key, suite, reason (did you mean 'check'?)
 */
export function validatePolicy(value: unknown, where: string, locate?: Locate): Policy {
  assertSchema(policySchema, value, where, 'IMGTEST_BAD_POLICY', locate)
  const { allow, knownFailures } = value as Policy
  // A copy, so a caller mutating its object later cannot change a policy already checked.
  const policy: Policy = {}
  if (allow !== undefined) {
    policy.allow = allow.map((rule): AllowRule => {
      const copy: AllowRule = { check: rule.check }
      if (rule.key !== undefined) copy.key = rule.key
      if (rule.suite !== undefined) copy.suite = rule.suite
      if (rule.reason !== undefined) copy.reason = rule.reason
      return copy
    })
  }
  if (knownFailures !== undefined) {
    policy.knownFailures = knownFailures.map((known): KnownFailure => {
      const copy: KnownFailure = { case: known.case }
      if (known.suite !== undefined) copy.suite = known.suite
      if (known.reason !== undefined) copy.reason = known.reason
      return copy
    })
  }
  return policy
}
