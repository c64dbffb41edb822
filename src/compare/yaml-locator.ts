import { isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml'
import type { Locate } from './validate-policy.ts'

/**
 * Where a JSON pointer's node sits in a YAML (or JSON: JSON is YAML too) source, for the line and
 * column of a schema error. The text is parsed only when an error asks, since valid files never do.
 *
 * @example
 * assertSchema(schema, value, 'policy.yaml', 'IMGTEST_BAD_POLICY', yamlLocator(text))
 */
export function yamlLocator(text: string): Locate {
  let parsed: { doc: ReturnType<typeof parseDocument>; lineCounter: LineCounter } | undefined
  return (path, key) => {
    if (parsed === undefined) {
      const lineCounter = new LineCounter()
      parsed = { doc: parseDocument(text, { lineCounter }), lineCounter }
    }
    let node: unknown = parsed.doc.contents
    let keyNode: unknown
    for (const segment of path) {
      if (isMap(node)) {
        const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === segment)
        if (pair === undefined) return undefined
        keyNode = pair.key
        node = pair.value
      } else if (isSeq(node)) {
        node = node.items[Number(segment)]
        keyNode = undefined
      } else return undefined
    }
    const target = (key ? keyNode : node) ?? keyNode ?? node
    const offset = (target as { range?: [number, number, number] } | null)?.range?.[0]
    return offset === undefined ? undefined : parsed.lineCounter.linePos(offset)
  }
}
