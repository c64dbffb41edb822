/** One challenge of a `WWW-Authenticate` header: `Bearer realm="…",service="…",scope="…"` or `Basic realm="…"`. */
export interface AuthChallenge {
  /** Lower-cased scheme: `bearer`, `basic`, … */
  scheme: string
  /** Parameters with lower-cased names and unquoted values. */
  params: Record<string, string>
}

const TOKEN = /[!#$%&'*+.^_`|~0-9A-Za-z-]+/y
const SPACE = /[ \t]*/y
const TOKEN68 = /[A-Za-z0-9._~+/-]+=*/y

/**
 * Parses a `WWW-Authenticate` header (RFC 9110 §11.6.1) into its challenges, in order.
 * Quoted values may hold commas and escaped quotes; one header may carry several challenges.
 *
 * @example
 * parseAuthChallenges('Bearer realm="https://auth.docker.io/token",service="registry.docker.io"')
 * // [{ scheme: 'bearer', params: { realm: 'https://auth.docker.io/token', service: 'registry.docker.io' } }]
 */
export function parseAuthChallenges(header: string): AuthChallenge[] {
  const challenges: AuthChallenge[] = []
  let position = 0
  let current: AuthChallenge | undefined

  const match = (pattern: RegExp): string | undefined => {
    pattern.lastIndex = position
    const found = pattern.exec(header)
    if (!found) return undefined
    position = pattern.lastIndex
    return found[0]
  }
  const skipSpace = (): void => {
    match(SPACE)
  }

  while (position < header.length) {
    skipSpace()
    if (header[position] === ',') {
      position++
      continue
    }
    const start = position
    const name = match(TOKEN)
    if (name === undefined) break
    skipSpace()
    if (header[position] === '=' && current && header[position + 1] !== '=') {
      // `name=value`: a parameter of the current challenge.
      position++
      skipSpace()
      current.params[name.toLowerCase()] = header[position] === '"' ? readQuoted() : (match(TOKEN) ?? '')
      continue
    }
    if (header[position] === '=' && current) {
      // A token68 credential such as `Negotiate abc==`: keep it whole, it has no parameters.
      position = start
      current.params.token68 = match(TOKEN68) ?? ''
      continue
    }
    current = { scheme: name.toLowerCase(), params: {} }
    challenges.push(current)
  }
  return challenges

  function readQuoted(): string {
    let value = ''
    position++
    while (position < header.length && header[position] !== '"') {
      if (header[position] === '\\' && position + 1 < header.length) position++
      value += header[position]
      position++
    }
    position++
    return value
  }
}
