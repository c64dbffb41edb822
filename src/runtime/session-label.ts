import { randomBytes } from 'node:crypto'
import { hostname } from 'node:os'

/** Label naming the process that created a resource, so one run's cleanup never touches another run's. */
export const SESSION_LABEL = 'dev.imgtest.session'

/** This process's session id, `<host>:<pid>:<random>`: prune can tell whether its process still runs. */
export const sessionId = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`

/**
 * Whether the process behind a session id is alive on this host: prune leaves such resources to
 * their owner. Ids from another host (a remote engine), or unreadable ones, count as not alive.
 *
 * @example
 * sessionAlive(sessionId) // true
 */
export function sessionAlive(session: string | undefined): boolean {
  const match = /^(.*):(\d+):[0-9a-f]+$/.exec(session ?? '')
  if (match === null || match[1] !== hostname()) return false
  const pid = Number(match[2])
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}
