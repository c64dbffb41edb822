import type { Accounts, GroupEntry, PasswdEntry } from '../image/passwd.ts'
import { readAccounts } from '../image/passwd.ts'
import { byCodeUnit } from './_normalize.ts'
import type { Finding } from './finding.ts'
import { newFinding } from './finding.ts'
import type { IndexedImage } from './indexed-image.ts'
import { resolveUser } from './resolve-user.ts'

/** Every check id `checkUsers` can report. */
export const userCheckIds = ['users.missing', 'groups.missing', 'users.changed'] as const

const byName = <T extends { name: string }>(a: T, b: T) => byCodeUnit(a.name, b.name)

function groupName(groups: readonly GroupEntry[] | undefined, gid: number): string {
  const name = groups?.find((group) => group.gid === gid)?.name
  return name === undefined ? String(gid) : `${gid} (${name})`
}

function userChanges(
  up: PasswdEntry,
  rb: PasswdEntry,
  groups: { upstream?: readonly GroupEntry[]; rebuilt?: readonly GroupEntry[] },
): Finding[] {
  const fields = ['uid', 'gid', 'home', 'shell'] as const
  const changed = fields.filter((field) => up[field] !== rb[field])
  if (changed.length === 0) return []
  const describe = (
    field: (typeof fields)[number],
    entry: PasswdEntry,
    side: readonly GroupEntry[] | undefined,
  ) => (field === 'gid' ? groupName(side, entry.gid) : String(entry[field]))
  const parts = changed.map(
    (field) =>
      `${field} ${describe(field, up, groups.upstream)} upstream, ${describe(field, rb, groups.rebuilt)} in rebuilt`,
  )
  return [
    newFinding({
      check: 'users.changed',
      key: up.name,
      upstream: Object.fromEntries(changed.map((field) => [field, up[field]])),
      rebuilt: Object.fromEntries(changed.map((field) => [field, rb[field]])),
      message: `user ${up.name} changed: ${parts.join('; ')}`,
    }),
  ]
}

/** The rebuilt image's USER must resolve in its own files, or the engine refuses to start it. */
function checkImageUser(user: string | undefined, { passwd, group }: Accounts, findings: Finding[]): void {
  const resolved = resolveUser(user, passwd?.entries, group?.entries)
  if (resolved.problem === undefined) return
  const [userArg = '', groupArg = ''] = (user ?? '').trim().split(':', 2)
  const check = resolved.uid === undefined ? 'users.missing' : 'groups.missing'
  const key = check === 'users.missing' ? userArg : groupArg
  // Out-of-range ids are interface problems, not a missing name.
  if (/^\d+$/.test(key)) return
  const sentence = `USER ${user?.trim()} of rebuilt cannot be resolved (${resolved.problem}): a container of rebuilt fails to start`
  const existing = findings.findIndex((finding) => finding.check === check && finding.key === key)
  if (existing === -1) {
    findings.push(newFinding({ check, key, rebuilt: user, message: sentence }))
    return
  }
  const finding = findings[existing] as Finding
  findings[existing] = { ...finding, rebuilt: user, message: `${finding.message}; ${sentence}` }
}

/**
 * Users and groups of /etc/passwd and /etc/group compared by name: `users.missing` and
 * `groups.missing` for names upstream has and rebuilt lacks, `users.changed` (one per user) when a
 * user's uid, gid, home or shell differs, and the rebuilt image's USER resolved against its own
 * files: a name it lacks is `users.missing` (or `groups.missing`) with a message about USER. Names
 * only rebuilt has are not findings. A side without /etc/passwd has no users.
 *
 * @example
 * checkUsers(upstream, rebuilt)
 * // → [{ check: 'users.missing', key: 'www-data', upstream: { uid: 33, … }, allowed: false,
 * //      message: 'user www-data (uid 33) exists upstream, missing in rebuilt' }]
 */
export function checkUsers(upstream: IndexedImage, rebuilt: IndexedImage): Finding[] {
  const up = readAccounts(upstream.index)
  const rb = readAccounts(rebuilt.index)
  const findings: Finding[] = []
  const rbUsers = new Map(rb.passwd?.entries.map((entry) => [entry.name, entry]))
  const noPasswd = rb.passwd === undefined ? ': rebuilt has no /etc/passwd' : ''
  const groups = { upstream: up.group?.entries, rebuilt: rb.group?.entries }
  for (const user of [...(up.passwd?.entries ?? [])].sort(byName)) {
    const match = rbUsers.get(user.name)
    if (match === undefined) {
      const { uid, gid, home, shell } = user
      const message = `user ${user.name} (uid ${uid}) exists upstream, missing in rebuilt${noPasswd}`
      findings.push(
        newFinding({ check: 'users.missing', key: user.name, upstream: { uid, gid, home, shell }, message }),
      )
    } else findings.push(...userChanges(user, match, groups))
  }
  const rbGroups = new Set(rb.group?.entries.map((entry) => entry.name))
  const noGroup = rb.group === undefined ? ': rebuilt has no /etc/group' : ''
  for (const group of [...(up.group?.entries ?? [])].sort(byName)) {
    if (rbGroups.has(group.name)) continue
    const message = `group ${group.name} (gid ${group.gid}) exists upstream, missing in rebuilt${noGroup}`
    findings.push(
      newFinding({
        check: 'groups.missing',
        key: group.name,
        upstream: { gid: group.gid, members: group.members },
        message,
      }),
    )
  }
  checkImageUser(rebuilt.snapshot.config.User, rb, findings)
  return findings
}
