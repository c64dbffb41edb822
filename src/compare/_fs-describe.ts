/**
 * How the filesystem checks name what they compare: modes in octal, types in words, removed
 * permission bits in chmod's spelling, owners by name where the image's passwd/group know them.
 */
import type { FileEntry, FileIndex, FileType } from '../image/file-index.ts'
import { readAccounts } from '../image/passwd.ts'
import type { ResolvedPath } from '../image/resolve-path.ts'

/** `0o4755` → `4755`, `0o644` → `0644`. */
export function formatMode(mode: number): string {
  return (mode & 0o7777).toString(8).padStart(4, '0')
}

const TYPE_WORDS: Record<FileType, string> = {
  file: 'a regular file',
  dir: 'a directory',
  symlink: 'a symlink',
  hardlink: 'a hard link',
  char: 'a character device',
  block: 'a block device',
  fifo: 'a FIFO',
}

/** The type a lookup ended on: an implied directory is a directory. */
export function resolvedType(resolved: ResolvedPath): FileType | undefined {
  if (resolved.problem !== undefined) return undefined
  return resolved.entry?.type ?? (resolved.implied ? 'dir' : undefined)
}

export function describeType(type: FileType | undefined): string {
  return type === undefined ? 'nothing' : TYPE_WORDS[type]
}

const BITS: readonly [number, string, string][] = [
  [0o4000, 'u', 's'],
  [0o2000, 'g', 's'],
  [0o1000, '', 't'],
  [0o400, 'u', 'r'],
  [0o200, 'u', 'w'],
  [0o100, 'u', 'x'],
  [0o040, 'g', 'r'],
  [0o020, 'g', 'w'],
  [0o010, 'g', 'x'],
  [0o004, 'o', 'r'],
  [0o002, 'o', 'w'],
  [0o001, 'o', 'x'],
]

/** Bits in chmod's words, grouped by who: `0o4002` → `u+s, o+w`. */
export function describeBits(bits: number): string {
  const byWho = new Map<string, string>()
  for (const [bit, who, letter] of BITS) {
    if ((bits & bit) !== 0) byWho.set(who, (byWho.get(who) ?? '') + letter)
  }
  return [...byWho].map(([who, letters]) => `${who}+${letters}`).join(', ')
}

/** uid/gid → name of one image, from its /etc/passwd and /etc/group. */
export interface Names {
  user: Map<number, string>
  group: Map<number, string>
}

export function namesOf(index: FileIndex): Names {
  const { passwd, group } = readAccounts(index)
  // First line wins for a repeated id, as getpwuid does.
  const user = new Map<number, string>()
  for (const entry of passwd?.entries ?? []) if (!user.has(entry.uid)) user.set(entry.uid, entry.name)
  const groups = new Map<number, string>()
  for (const entry of group?.entries ?? []) if (!groups.has(entry.gid)) groups.set(entry.gid, entry.name)
  return { user, group: groups }
}

/** `root:root`, or the number where the image has no name for it: `10001:root`. */
export function describeOwner(entry: Pick<FileEntry, 'uid' | 'gid'>, names: Names): string {
  return `${names.user.get(entry.uid) ?? entry.uid}:${names.group.get(entry.gid) ?? entry.gid}`
}
