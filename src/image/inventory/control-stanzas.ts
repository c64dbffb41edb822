/**
 * The `Field: value` format of dpkg's status file, apt's lists and Python's METADATA/PKG-INFO
 * (RFC 822 headers): stanzas separated by blank lines, a line starting with a space or tab
 * continuing the field before it.
 */

export interface Stanza {
  /** Field names lower-cased (dpkg and email headers ignore case); continuation lines and repeats joined with `\n`. */
  fields: Map<string, string>
  /** 1-based line the stanza starts on, for notes about it. */
  line: number
}

export interface ParsedStanzas {
  stanzas: Stanza[]
  /** Lines that are neither a field nor a continuation, as `line N: …`. */
  problems: string[]
}

/**
 * Splits `text` into stanzas. `firstOnly` stops at the first blank line, as a METADATA file's
 * headers end there and its description follows.
 *
 * @example
 * parseStanzas('Package: bash\nVersion: 5.2.15-2\n\nPackage: dash\n').stanzas.map((s) => s.fields.get('package')) // ['bash', 'dash']
 */
export function parseStanzas(text: string, options: { firstOnly?: boolean } = {}): ParsedStanzas {
  const stanzas: Stanza[] = []
  const problems: string[] = []
  let current: Stanza | undefined
  let lastField: string | undefined
  const lines = text.split(/\r?\n/)
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] ?? ''
    if (line.trim() === '') {
      if (current !== undefined && options.firstOnly) break
      current = undefined
      lastField = undefined
      continue
    }
    if (line.startsWith(' ') || line.startsWith('\t')) {
      if (current === undefined || lastField === undefined) {
        problems.push(`line ${index + 1}: continuation line with no field before it`)
        continue
      }
      current.fields.set(lastField, `${current.fields.get(lastField) ?? ''}\n${line.trim()}`)
      continue
    }
    const colon = line.indexOf(':')
    if (colon <= 0) {
      problems.push(`line ${index + 1}: not a "Field: value" line: ${JSON.stringify(line.slice(0, 60))}`)
      continue
    }
    if (current === undefined) {
      current = { fields: new Map(), line: index + 1 }
      stanzas.push(current)
    }
    lastField = line.slice(0, colon).trim().toLowerCase()
    const value = line.slice(colon + 1).trim()
    // A repeated field (METADATA's Classifier) keeps every value, one a line.
    const before = current.fields.get(lastField)
    current.fields.set(lastField, before === undefined ? value : `${before}\n${value}`)
  }
  return { stanzas, problems }
}
