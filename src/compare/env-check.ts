import { byCodeUnit, sameList, show } from './_normalize.ts'
import type { Finding } from './finding.ts'
import { newFinding } from './finding.ts'

const CHECK = 'interface.env'

/** `NAME=value` entries as a map; a later entry wins, as it does when a container starts. */
function envMap(env: readonly string[] | undefined): Map<string, string> {
  const map = new Map<string, string>()
  for (const entry of env ?? []) {
    const equals = entry.indexOf('=')
    if (equals === -1) map.set(entry, '')
    else map.set(entry.slice(0, equals), entry.slice(equals + 1))
  }
  return map
}

/**
 * The directories a PATH lookup visits, in order. Duplicates and trailing slashes change no lookup,
 * so they are dropped; an empty entry means the current directory, as `.` does.
 */
export function pathDirectories(path: string): string[] {
  const seen = new Set<string>()
  for (const raw of path.split(':')) {
    const dir = raw === '' ? '.' : raw.length > 1 ? raw.replace(/\/+$/, '') || '/' : raw
    seen.add(dir)
  }
  return [...seen]
}

/**
 * What differs between two PATH values, or undefined when a lookup of any name gives the same result.
 * A reorder of the same directories is a difference: the first directory that holds a name decides
 * which binary runs (`/usr/local/bin/python` before `/usr/bin/python`), so the image behaves differently.
 */
export function comparePath(upstream: string, rebuilt: string): string | undefined {
  const up = pathDirectories(upstream)
  const rb = pathDirectories(rebuilt)
  if (sameList(up, rb)) return undefined
  const lacks = up.filter((dir) => !rb.includes(dir))
  const adds = rb.filter((dir) => !up.includes(dir))
  const sharedUp = up.filter((dir) => rb.includes(dir))
  const sharedRb = rb.filter((dir) => up.includes(dir))
  const parts: string[] = []
  if (lacks.length > 0)
    parts.push(`rebuilt lacks ${lacks.join(', ')} (upstream has ${lacks.length === 1 ? 'it' : 'them'})`)
  if (adds.length > 0) parts.push(`rebuilt adds ${adds.join(', ')}`)
  if (!sameList(sharedUp, sharedRb)) {
    parts.push(
      `${parts.length > 0 ? 'the shared directories are' : 'the same directories are'} searched in a different order ` +
        `(upstream ${sharedUp.join(':')}, rebuilt ${sharedRb.join(':')}), which changes which binary a name runs`,
    )
  }
  // Only reached when the lists differ, so at least one part was found.
  return `ENV PATH: ${parts.join('; ')}`
}

/**
 * Env as a map by name, order ignored: one finding per variable added, removed or changed, keyed by
 * its name. PATH is compared directory by directory (see `comparePath`).
 *
 * @example
 * checkEnv(['A=1', 'PATH=/usr/bin:/bin'], ['PATH=/bin:/usr/bin', 'A=1'])
 * // → [{ check: 'interface.env', key: 'PATH', … message: 'ENV PATH: the same directories are searched in a different order …' }]
 */
export function checkEnv(
  upstream: readonly string[] | undefined,
  rebuilt: readonly string[] | undefined,
): Finding[] {
  const up = envMap(upstream)
  const rb = envMap(rebuilt)
  const names = [...new Set([...up.keys(), ...rb.keys()])].sort(byCodeUnit)
  const findings: Finding[] = []
  for (const name of names) {
    const u = up.get(name)
    const r = rb.get(name)
    if (u === r) continue
    let message: string | undefined
    if (r === undefined) message = `ENV ${name}=${show(u)} set upstream, not set in rebuilt`
    else if (u === undefined) message = `ENV ${name}=${show(r)} set in rebuilt, not set upstream`
    else if (name === 'PATH') message = comparePath(u, r)
    else message = `ENV ${name} is ${show(u)} upstream, ${show(r)} in rebuilt`
    if (message !== undefined)
      findings.push(newFinding({ check: CHECK, key: name, upstream: u, rebuilt: r, message }))
  }
  return findings
}
