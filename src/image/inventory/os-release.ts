import type { FileIndex } from '../file-index.ts'
import { resolvePath } from '../resolve-path.ts'
import type { OsRelease } from './package.ts'

/**
 * Reads os-release(5) text: `KEY=value` lines, values optionally in single or double quotes with
 * backslash escapes. Undefined when there is no ID.
 *
 * @example
 * parseOsRelease('ID=debian\nVERSION_ID="12"\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n')
 * // { id: 'debian', versionId: '12', prettyName: 'Debian GNU/Linux 12 (bookworm)' }
 */
export function parseOsRelease(text: string): OsRelease | undefined {
  const values = new Map<string, string>()
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim()
    if (line === '' || line.startsWith('#')) continue
    const match = /^([A-Z0-9_]+)=(.*)$/.exec(line)
    if (!match) continue
    values.set(match[1] ?? '', unquote(match[2] ?? ''))
  }
  const id = values.get('ID')
  if (id === undefined || id === '') return undefined
  const versionId = values.get('VERSION_ID')
  const prettyName = values.get('PRETTY_NAME')
  return {
    id,
    ...(versionId ? { versionId } : {}),
    ...(prettyName ? { prettyName } : {}),
  }
}

function unquote(value: string): string {
  const quote = value[0]
  if ((quote === '"' || quote === "'") && value.endsWith(quote) && value.length >= 2) {
    return value.slice(1, -1).replace(/\\(.)/g, '$1')
  }
  return value
}

// os-release(5): /etc/os-release first, then /usr/lib/os-release; the first is often a symlink to the second.
const OS_RELEASE_PATHS = ['/etc/os-release', '/usr/lib/os-release']

/**
 * The distribution of an image, from the captured os-release file (symlinks followed inside the image).
 *
 * @example
 * readOsRelease(index) // { id: 'alpine', versionId: '3.19.1', prettyName: 'Alpine Linux v3.19' }
 */
export function readOsRelease(index: FileIndex): OsRelease | undefined {
  for (const path of OS_RELEASE_PATHS) {
    const resolved = resolvePath(index, path).path
    const content = index.contents.get(path) ?? index.contents.get(resolved)
    if (content === undefined) continue
    const os = parseOsRelease(content.toString('utf8'))
    if (os !== undefined) return os
  }
  return undefined
}
