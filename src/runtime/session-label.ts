import { randomBytes } from 'node:crypto'

/** Label naming the process that created a resource, so one run's cleanup never touches another run's. */
export const SESSION_LABEL = 'dev.imgtest.session'

/** This process's session id: its pid plus a few random bytes, as pids are reused. */
export const sessionId = `${process.pid}-${randomBytes(4).toString('hex')}`
