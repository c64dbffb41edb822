import type { GroupEntry, PasswdEntry } from '../image/passwd.ts'

/** Who a container runs as: ids, the passwd name when there is one, or why it cannot start. */
export interface ResolvedUser {
  uid?: number
  gid?: number
  name?: string
  /** Set when the engine would refuse to start the container, e.g. `no user "app" in /etc/passwd`. */
  problem?: string
}

const NUMERIC = /^\d+$/
const MAX_ID = 2 ** 31 - 1

/**
 * Resolves an image's USER (`name`, `uid`, `name:group`, `uid:gid`; unset means root) against its
 * /etc/passwd and /etc/group as runc does: a number is always an id and needs no entry, a name must
 * have one; without a group the user's passwd gid applies, else 0. Pass `undefined` for a file the
 * image lacks.
 *
 * @example
 * resolveUser('app', passwd, group) // { uid: 10001, gid: 10001, name: 'app' }
 * resolveUser('10001', [], [])      // { uid: 10001, gid: 0 }
 * resolveUser('nobody', undefined, undefined) // { problem: 'no user "nobody": the image has no /etc/passwd' }
 */
export function resolveUser(
  user: string | undefined,
  passwd: readonly PasswdEntry[] | undefined,
  group: readonly GroupEntry[] | undefined,
): ResolvedUser {
  const raw = (user ?? '').trim()
  const colon = raw.indexOf(':')
  const userArg = colon === -1 ? raw : raw.slice(0, colon)
  const groupArg = colon === -1 ? '' : raw.slice(colon + 1)
  let resolved: ResolvedUser
  if (userArg === '') {
    const root = passwd?.find((entry) => entry.uid === 0)
    resolved = { uid: 0, gid: root?.gid ?? 0, ...(root ? { name: root.name } : {}) }
  } else if (NUMERIC.test(userArg)) {
    const uid = Number(userArg)
    if (uid > MAX_ID) return { problem: `uid ${userArg} is out of range (at most ${MAX_ID})` }
    const match = passwd?.find((entry) => entry.uid === uid)
    resolved = { uid, gid: match?.gid ?? 0, ...(match ? { name: match.name } : {}) }
  } else {
    const match = passwd?.find((entry) => entry.name === userArg)
    if (match === undefined) {
      const where = passwd === undefined ? 'the image has no /etc/passwd' : 'not in /etc/passwd'
      return { problem: `no user ${JSON.stringify(userArg)}: ${where}` }
    }
    resolved = { uid: match.uid, gid: match.gid, name: match.name }
  }
  if (groupArg === '') return resolved
  // The primary gid no longer applies once a group is named, found or not.
  const { gid: _primary, ...named } = resolved
  if (NUMERIC.test(groupArg)) {
    const gid = Number(groupArg)
    if (gid > MAX_ID) return { ...named, problem: `gid ${groupArg} is out of range (at most ${MAX_ID})` }
    return { ...named, gid }
  }
  const match = group?.find((entry) => entry.name === groupArg)
  if (match === undefined) {
    const where = group === undefined ? 'the image has no /etc/group' : 'not in /etc/group'
    return { ...named, problem: `no group ${JSON.stringify(groupArg)}: ${where}` }
  }
  return { ...named, gid: match.gid }
}
