import { readFileSync } from 'node:fs'
import { Ajv } from 'ajv'
import addFormatsModule from 'ajv-formats'
import { spdxExpression } from '../spdx-license-expression.ts'

// ajv-formats is CommonJS: its default export arrives as the module object under native ESM.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ??
  addFormatsModule) as unknown as (ajv: Ajv) => Ajv

const schema = JSON.parse(readFileSync(new URL('spdx-2.3.partial.schema.json', import.meta.url), 'utf8'))
const validate = addFormats(new Ajv({ allErrors: true, strict: true, strictRequired: false })).compile(schema)

interface Doc {
  packages?: { SPDXID: string; licenseDeclared?: string; licenseConcluded?: string }[]
  relationships?: { spdxElementId: string; relationshipType: string; relatedSpdxElement: string }[]
}

/**
 * What is wrong with an SPDX 2.3 JSON document, as one line each: the partial schema's errors,
 * then the rules a JSON schema cannot say (unique SPDXIDs, relationships between known elements,
 * the document describing something, license fields that are SPDX expressions or NOASSERTION/NONE).
 */
export function spdxProblems(doc: unknown): string[] {
  if (!validate(doc)) return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`)
  const { packages = [], relationships = [] } = doc as Doc
  const problems: string[] = []
  const ids = new Set<string>(['SPDXRef-DOCUMENT'])
  for (const pkg of packages) {
    if (ids.has(pkg.SPDXID)) problems.push(`duplicate SPDXID ${pkg.SPDXID}`)
    ids.add(pkg.SPDXID)
    for (const field of ['licenseDeclared', 'licenseConcluded'] as const) {
      const value = pkg[field]
      if (value === undefined || value === 'NOASSERTION' || value === 'NONE') continue
      if (spdxExpression(value, { allowRefs: false }) !== value)
        problems.push(`${pkg.SPDXID} ${field} "${value}"`)
    }
  }
  for (const r of relationships) {
    for (const end of [r.spdxElementId, r.relatedSpdxElement]) {
      if (!ids.has(end) && end !== 'NOASSERTION' && end !== 'NONE')
        problems.push(`relationship to unknown ${end}`)
    }
  }
  if (
    !relationships.some((r) => r.spdxElementId === 'SPDXRef-DOCUMENT' && r.relationshipType === 'DESCRIBES')
  ) {
    problems.push('the document DESCRIBES nothing')
  }
  return problems
}
