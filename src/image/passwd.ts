import type { FileIndex } from './file-index.ts'
import { resolvePath } from './resolve-path.ts'

/** One line of /etc/passwd: `name:password:uid:gid:gecos:home:shell`. */
export interface PasswdEntry {
  name: string
  uid: number
  gid: number
  gecos: string
  home: string
  shell: string
}

/** One line of /etc/group: `name:password:gid:member,member`. */
export interface GroupEntry {
  name: string
  gid: number
  members: string[]
}

/** A parsed file: what could be read, and one note per line that could not (1-based line numbers). */
export interface Parsed<T> {
  entries: T[]
  notes: string[]
}

const ID = /^\d{1,10}$/
const MAX_ID = 2 ** 32 - 1

function id(text: string): number | undefined {
  if (!ID.test(text)) return undefined
  const value = Number(text)
  return value <= MAX_ID ? value : undefined
}

/** Lines worth parsing, with their numbers: blank lines and `#` comments are skipped without a note. */
function* records(text: string): Generator<{ line: number; fields: string[] }> {
  const lines = text.split('\n')
  for (const [index, raw] of lines.entries()) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue
    yield { line: index + 1, fields: line.split(':') }
  }
}

/**
 * Parses /etc/passwd leniently: short lines, NIS `+`/`-` lines, bad ids and repeated names become
 * notes instead of errors. A repeated name keeps its first line, as getpwnam does.
 *
 * @example
 * parsePasswd('root:x:0:0:root:/root:/bin/bash\nbroken:x\n')
 * // → { entries: [{ name: 'root', uid: 0, gid: 0, gecos: 'root', home: '/root', shell: '/bin/bash' }],
 * //     notes: ['line 2: 2 fields, expected 7; skipped'] }
 */
export function parsePasswd(text: string): Parsed<PasswdEntry> {
  const entries: PasswdEntry[] = []
  const notes: string[] = []
  const seen = new Set<string>()
  for (const { line, fields } of records(text)) {
    const [name = '', , uidText = '', gidText = '', gecos = '', home = '', ...rest] = fields
    if (name.startsWith('+') || name.startsWith('-')) {
      notes.push(`line ${line}: NIS entry ${JSON.stringify(name)} is not resolved; skipped`)
      continue
    }
    if (fields.length < 7) {
      notes.push(`line ${line}: ${fields.length} fields, expected 7; skipped`)
      continue
    }
    // A shell never holds a colon, but keep the rest as written rather than lose it.
    if (fields.length > 7)
      notes.push(`line ${line}: ${fields.length} fields, expected 7; the rest is the shell`)
    const uid = id(uidText)
    const gid = id(gidText)
    if (name === '' || uid === undefined || gid === undefined) {
      notes.push(
        `line ${line}: bad name, uid or gid (${JSON.stringify(fields.slice(0, 4).join(':'))}); skipped`,
      )
      continue
    }
    if (seen.has(name)) {
      notes.push(`line ${line}: user ${name} repeated; the first line wins`)
      continue
    }
    seen.add(name)
    entries.push({ name, uid, gid, gecos, home, shell: rest.join(':') })
  }
  return { entries, notes }
}

/**
 * Parses /etc/group leniently, like `parsePasswd`. Members are the names after the third colon.
 *
 * @example
 * parseGroup('root:x:0:\nadm:x:4:syslog,alice\n').entries[1] // { name: 'adm', gid: 4, members: ['syslog', 'alice'] }
 */
export function parseGroup(text: string): Parsed<GroupEntry> {
  const entries: GroupEntry[] = []
  const notes: string[] = []
  const seen = new Set<string>()
  for (const { line, fields } of records(text)) {
    const [name = '', , gidText = '', members = ''] = fields
    if (name.startsWith('+') || name.startsWith('-')) {
      notes.push(`line ${line}: NIS entry ${JSON.stringify(name)} is not resolved; skipped`)
      continue
    }
    if (fields.length < 3) {
      notes.push(`line ${line}: ${fields.length} fields, expected 4; skipped`)
      continue
    }
    if (fields.length !== 4) notes.push(`line ${line}: ${fields.length} fields, expected 4`)
    const gid = id(gidText)
    if (name === '' || gid === undefined) {
      notes.push(`line ${line}: bad name or gid (${JSON.stringify(fields.slice(0, 3).join(':'))}); skipped`)
      continue
    }
    if (seen.has(name)) {
      notes.push(`line ${line}: group ${name} repeated; the first line wins`)
      continue
    }
    seen.add(name)
    entries.push({ name, gid, members: members.split(',').filter((member) => member !== '') })
  }
  return { entries, notes }
}

/** An image's users and groups; `undefined` when the image has no such file (or its content was not captured). */
export interface Accounts {
  passwd?: Parsed<PasswdEntry>
  group?: Parsed<GroupEntry>
}

function captured(index: FileIndex, path: string): string | undefined {
  const resolved = resolvePath(index, path)
  if (resolved.problem !== undefined) return undefined
  // A hard link's content is captured under its target's path, a symlink's under the final path.
  const content = index.contents.get(resolved.path) ?? index.contents.get(resolved.entry?.path ?? '')
  return content?.toString('utf8')
}

/**
 * /etc/passwd and /etc/group of an image, from the content its index captured (symlinks followed
 * inside the image).
 *
 * @example
 * const { passwd, group } = readAccounts(index)
 * passwd?.entries.find((user) => user.uid === 0)?.name // 'root'
 */
export function readAccounts(index: FileIndex): Accounts {
  const passwd = captured(index, '/etc/passwd')
  const group = captured(index, '/etc/group')
  return {
    ...(passwd === undefined ? {} : { passwd: parsePasswd(passwd) }),
    ...(group === undefined ? {} : { group: parseGroup(group) }),
  }
}
