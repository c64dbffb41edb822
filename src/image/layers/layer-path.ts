/**
 * A tar entry's name as an absolute path inside the image: `./usr/bin/` → `/usr/bin`. `.` and `..`
 * are resolved lexically and clamped at the root, as Docker's layer unpacking does; `escaped` says
 * the stored name was absolute or tried to climb out of the root, so the caller can report it.
 *
 * @example
 * normalizeLayerPath('./usr/bin/') // { path: '/usr/bin', escaped: false }
 * normalizeLayerPath('../../etc/passwd') // { path: '/etc/passwd', escaped: true }
 */
export function normalizeLayerPath(name: string): { path: string; escaped: boolean } {
  let escaped = name.startsWith('/')
  const parts: string[] = []
  for (const part of name.split('/')) {
    if (part === '' || part === '.') continue
    if (part === '..') {
      if (parts.length === 0) escaped = true
      else parts.pop()
      continue
    }
    parts.push(part)
  }
  return { path: `/${parts.join('/')}`, escaped }
}

const WHITEOUT = '.wh.'
const OPAQUE = '.wh..wh..opq'

/** What an entry's name means under the OCI whiteout rules. */
export type WhiteoutKind =
  | { kind: 'none' }
  /** `.wh.<name>`: remove `<dir>/<name>` (and all under it) from the lower layers. */
  | { kind: 'whiteout'; target: string }
  /** `.wh..wh..opq`: hide every lower-layer child of `<dir>`. */
  | { kind: 'opaque'; dir: string }
  /** Other `.wh..wh.*` names (aufs hard-link bookkeeping): not part of the filesystem. */
  | { kind: 'meta' }

/**
 * Classifies a normalised path by its base name.
 *
 * @example
 * whiteoutOf('/etc/.wh.motd') // { kind: 'whiteout', target: '/etc/motd' }
 * whiteoutOf('/d/.wh..wh..opq') // { kind: 'opaque', dir: '/d' }
 */
export function whiteoutOf(path: string): WhiteoutKind {
  const slash = path.lastIndexOf('/')
  const base = path.slice(slash + 1)
  if (!base.startsWith(WHITEOUT)) return { kind: 'none' }
  const dir = slash === 0 ? '/' : path.slice(0, slash)
  if (base === OPAQUE) return { kind: 'opaque', dir }
  if (base.startsWith(`${WHITEOUT}${WHITEOUT}`)) return { kind: 'meta' }
  const name = base.slice(WHITEOUT.length)
  if (name === '' || name === '.' || name === '..') return { kind: 'meta' }
  return { kind: 'whiteout', target: dir === '/' ? `/${name}` : `${dir}/${name}` }
}

/** The parent directory of a normalised path (`/` for top-level paths). */
export function parentOf(path: string): string {
  const slash = path.lastIndexOf('/')
  return slash <= 0 ? '/' : path.slice(0, slash)
}
