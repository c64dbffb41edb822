/**
 * Canonical forms of image config values that Docker accepts in several spellings, so checks
 * compare meaning rather than text (`8080` and `8080/tcp`, `root` and `0:0`, `15` and `SIGTERM`).
 */

/** Docker's defaults for fields an image may leave unset. */
export const DEFAULT_SHELL: readonly string[] = ['/bin/sh', '-c']
export const DEFAULT_STOP_SIGNAL = 'SIGTERM'

/** `8080` → `8080/tcp`, `53/UDP` → `53/udp`: Docker treats a port without protocol as TCP. */
export function normalizePort(port: string): string {
  const [number = '', protocol = 'tcp'] = port.trim().split('/', 2)
  return `${number}/${protocol.toLowerCase() || 'tcp'}`
}

/** `/data/` → `/data`; an empty path stays empty. */
export function normalizeDir(path: string): string {
  return path.length > 1 ? path.replace(/\/+$/, '') || '/' : path
}

/**
 * `''`, `root`, `0`, `0:0`, `root:root` → `0:0`. Other names are kept as written: only the image's
 * /etc/passwd can say that `nobody` is 65534, and checks here never read files.
 */
export function normalizeUser(user: string | undefined): string {
  const raw = (user ?? '').trim()
  if (raw === '') return '0:0'
  const colon = raw.indexOf(':')
  const name = colon === -1 ? raw : raw.slice(0, colon)
  const group = colon === -1 ? undefined : raw.slice(colon + 1)
  const uid = name === 'root' || name === '' ? '0' : name
  // Root's primary group is always 0; anyone else's needs /etc/passwd, so it stays unstated.
  const gid =
    group === undefined || group === '' ? (uid === '0' ? '0' : undefined) : group === 'root' ? '0' : group
  return gid === undefined ? uid : `${uid}:${gid}`
}

/** How a message names a user: an unset USER is spelled out, since it means root. */
export function describeUser(user: string | undefined): string {
  return user === undefined || user.trim() === '' ? 'root (unset)' : user
}

// Linux signal numbers, as Docker's signal_linux.go maps them (x86 and arm share these).
const SIGNALS: Record<string, number> = {
  HUP: 1,
  INT: 2,
  QUIT: 3,
  ILL: 4,
  TRAP: 5,
  ABRT: 6,
  IOT: 6,
  BUS: 7,
  FPE: 8,
  KILL: 9,
  USR1: 10,
  SEGV: 11,
  USR2: 12,
  PIPE: 13,
  ALRM: 14,
  TERM: 15,
  STKFLT: 16,
  CHLD: 17,
  CLD: 17,
  CONT: 18,
  STOP: 19,
  TSTP: 20,
  TTIN: 21,
  TTOU: 22,
  URG: 23,
  XCPU: 24,
  XFSZ: 25,
  VTALRM: 26,
  PROF: 27,
  WINCH: 28,
  IO: 29,
  POLL: 29,
  PWR: 30,
  SYS: 31,
  UNUSED: 31,
}
const RTMIN = 34
const RTMAX = 64

/**
 * The signal number a StopSignal names (`SIGTERM`, `TERM`, `15`, `SIGRTMIN+3`), or the upper-cased
 * text when it names none Docker knows; unset means SIGTERM, Docker's default.
 */
export function normalizeSignal(signal: string | undefined): number | string {
  const raw = (signal ?? '').trim().toUpperCase()
  if (raw === '') return 15
  if (/^\d+$/.test(raw)) return Number(raw)
  const name = raw.startsWith('SIG') ? raw.slice(3) : raw
  const known = SIGNALS[name]
  if (known !== undefined) return known
  const rt = /^RT(MIN|MAX)(?:([+-])(\d+))?$/.exec(name)
  if (rt) {
    const offset = Number(rt[3] ?? 0) * (rt[2] === '-' ? -1 : 1)
    const number = (rt[1] === 'MIN' ? RTMIN : RTMAX) + offset
    if (number >= RTMIN && number <= RTMAX) return number
  }
  return raw
}

/** Healthcheck timings are nanoseconds: `30000000000` → `30s`, `1500000000` → `1.5s`. */
export function formatDuration(nanoseconds: number): string {
  const ms = nanoseconds / 1e6
  if (ms < 1000) return `${Number(ms.toFixed(3))}ms`
  const seconds = ms / 1000
  if (seconds < 60 || seconds % 60 !== 0) return `${Number(seconds.toFixed(3))}s`
  return `${seconds / 60}m`
}

/** Values inside messages: strings quoted, arrays and objects as compact JSON. */
export function show(value: unknown): string {
  return value === undefined ? 'unset' : JSON.stringify(value)
}

/** Two string lists equal item by item. */
export function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((item, index) => item === b[index])
}

/** Code-unit order: the same on every machine and locale, so reports diff cleanly. */
export function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
