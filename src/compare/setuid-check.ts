import type { FileEntry, FileIndex } from '../image/file-index.ts'
import { resolvePath } from '../image/resolve-path.ts'
import type { Names } from './_fs-describe.ts'
import { describeBits, formatMode, namesOf } from './_fs-describe.ts'
import { byCodeUnit } from './_normalize.ts'
import type { Finding } from './finding.ts'
import { newFinding } from './finding.ts'

const SPECIAL = 0o6000

/** The regular file a path holds, a hard link's target included; undefined for anything else. */
function regularFile(index: FileIndex, entry: FileEntry): FileEntry | undefined {
  const file =
    entry.type === 'hardlink' ? resolvePath(index, entry.path, { followFinal: false }).entry : entry
  return file?.type === 'file' ? file : undefined
}

function privileges(bits: number, file: FileEntry, names: Names): string {
  const parts: string[] = []
  if (bits & 0o4000) parts.push(`setuid (runs as ${names.user.get(file.uid) ?? `uid ${file.uid}`})`)
  if (bits & 0o2000) parts.push(`setgid (runs with group ${names.group.get(file.gid) ?? `gid ${file.gid}`})`)
  return parts.join(' and ')
}

/**
 * Every regular file that is setuid or setgid in rebuilt without being so at the same path upstream
 * (the path resolved inside upstream, so merged /usr on one side changes nothing): one `fs.setuid`
 * finding per path, whether the file is required or not. Directories are left out: setgid on a
 * directory only sets the group of new files.
 *
 * @example
 * checkSetuid(upstream.index, rebuilt.index)
 * // → [{ check: 'fs.setuid', key: '/usr/bin/tool', upstream: '0755', rebuilt: '4755', allowed: false,
 * //      message: '/usr/bin/tool is setuid (runs as root) in rebuilt (mode 4755); upstream it is not (mode 0755)' }]
 */
export function checkSetuid(upstream: FileIndex, rebuilt: FileIndex): Finding[] {
  const candidates: [string, FileEntry][] = []
  for (const [path, entry] of rebuilt.entries) {
    if ((entry.mode & SPECIAL) === 0 && entry.type !== 'hardlink') continue
    const file = regularFile(rebuilt, entry)
    if (file !== undefined && (file.mode & SPECIAL) !== 0) candidates.push([path, file])
  }
  if (candidates.length === 0) return []
  const names = namesOf(rebuilt)
  const findings: Finding[] = []
  for (const [path, file] of candidates.sort(([a], [b]) => byCodeUnit(a, b))) {
    const before = resolvePath(upstream, path).entry
    const upBits = before?.type === 'file' ? before.mode & SPECIAL : 0
    const added = file.mode & SPECIAL & ~upBits
    if (added === 0) continue
    const upstreamSide =
      before === undefined
        ? 'absent upstream'
        : `upstream it ${upBits === 0 ? 'is not' : `has only ${describeBits(upBits)}`} (mode ${formatMode(before.mode)})`
    findings.push(
      newFinding({
        check: 'fs.setuid',
        key: path,
        ...(before === undefined ? {} : { upstream: formatMode(before.mode) }),
        rebuilt: formatMode(file.mode),
        message: `${path} is ${privileges(added, file, names)} in rebuilt (mode ${formatMode(file.mode)}); ${upstreamSide}`,
      }),
    )
  }
  return findings
}
