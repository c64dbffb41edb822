import type { SuiteCase } from './suite-types.ts'

// A reader for the JUnit XML that test runners write: testcase elements and their first outcome child.
const TESTCASE = /<testcase\b([^>]*?)(?:\/>|>([\s\S]*?)<\/testcase>)/g
const ATTRIBUTE = /([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g
const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" }

/**
 * Every `<testcase>` of a JUnit XML document as a case: named `classname.name` (or `name`),
 * `fail` with a `<failure>`, `error` with an `<error>`, `skip` with `<skipped>`, `pass` otherwise.
 * The failure's message attribute (or its text) is the case's output.
 *
 * @example
 * parseJunit('<testsuite><testcase classname="t" name="a"/><testcase name="b"><failure message="boom"/></testcase></testsuite>')
 * // [{ name: 't.a', outcome: 'pass' }, { name: 'b', outcome: 'fail', output: 'boom' }]
 */
export function parseJunit(xml: string): SuiteCase[] {
  const cases: SuiteCase[] = []
  for (const match of xml.replace(/<!--[\s\S]*?-->/g, '').matchAll(TESTCASE)) {
    const attributes = attributesOf(match[1] ?? '')
    const name = attributes.classname
      ? `${attributes.classname}.${attributes.name ?? ''}`
      : (attributes.name ?? '')
    const body = match[2] ?? ''
    const child = /<(failure|error|skipped)\b([^>]*?)(?:\/>|>([\s\S]*?)<\/\1>)/.exec(body)
    if (child === null) {
      cases.push({ name, outcome: 'pass' })
      continue
    }
    const outcome = child[1] === 'failure' ? 'fail' : child[1] === 'error' ? 'error' : 'skip'
    const message = attributesOf(child[2] ?? '').message ?? decode(stripCdata(child[3] ?? '')).trim()
    cases.push(message === '' ? { name, outcome } : { name, outcome, output: message })
  }
  return cases
}

function attributesOf(text: string): Record<string, string> {
  const attributes: Record<string, string> = {}
  for (const [, key, double, single] of text.matchAll(ATTRIBUTE)) {
    attributes[key as string] = decode(double ?? single ?? '')
  }
  return attributes
}

function stripCdata(text: string): string {
  return text.replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, '$1')
}

function decode(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (whole, entity: string) => {
    if (entity.startsWith('#x') || entity.startsWith('#X'))
      return String.fromCodePoint(Number.parseInt(entity.slice(2), 16))
    if (entity.startsWith('#')) return String.fromCodePoint(Number.parseInt(entity.slice(1), 10))
    return ENTITIES[entity] ?? whole
  })
}
