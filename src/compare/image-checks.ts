import { ImgtestError } from '../errors.ts'
import type { FileIndex } from '../image/file-index.ts'
import { readAccounts } from '../image/passwd.ts'
import { resolvePath } from '../image/resolve-path.ts'
import type { Finding } from './finding.ts'
import { newFinding } from './finding.ts'
import { isExecutable } from './lookup-program.ts'

/** Program names that are shells. busybox counts: `busybox sh` is a shell whatever links exist. */
export const SHELLS = [
  'sh',
  'ash',
  'bash',
  'dash',
  'zsh',
  'ksh',
  'mksh',
  'csh',
  'tcsh',
  'fish',
  'busybox',
] as const

/** Package managers of distributions, and (with `language: true`) of languages. */
export const PACKAGE_MANAGERS = {
  os: [
    'apt',
    'apt-get',
    'aptitude',
    'dpkg',
    'dpkg-deb',
    'apk',
    'rpm',
    'yum',
    'dnf',
    'microdnf',
    'tdnf',
    'zypper',
    'pacman',
  ],
  language: ['pip', 'pip3', 'npm', 'npx', 'yarn', 'pnpm', 'gem', 'cargo', 'go'],
} as const

// Every runnable path in the image whose base name is one of `names`, as named (links included).
function runnablesNamed(index: FileIndex, names: ReadonlySet<string>): string[] {
  const found: string[] = []
  for (const entry of index.entries.values()) {
    if (entry.type === 'dir' || !names.has(entry.path.slice(entry.path.lastIndexOf('/') + 1))) continue
    if (isExecutable(resolvePath(index, entry.path))) found.push(entry.path)
  }
  return found.sort()
}

/**
 * `image.shell` findings: every runnable program named after a shell. Hardened images drop them so
 * nothing can `exec sh` inside the container.
 *
 * @example
 * checkNoShell(index) // [{ check: 'image.shell', key: '/bin/sh', … }]
 */
export function checkNoShell(index: FileIndex): Finding[] {
  return runnablesNamed(index, new Set(SHELLS)).map((path) =>
    newFinding({ check: 'image.shell', key: path, rebuilt: path, message: `${path} is a shell` }),
  )
}

/** `image.package-manager` findings: every runnable package manager (OS ones; language ones too on request). */
export function checkNoPackageManager(index: FileIndex, options: { language?: boolean } = {}): Finding[] {
  const names = new Set<string>([
    ...PACKAGE_MANAGERS.os,
    ...(options.language ? PACKAGE_MANAGERS.language : []),
  ])
  return runnablesNamed(index, names).map((path) =>
    newFinding({
      check: 'image.package-manager',
      key: path,
      rebuilt: path,
      message: `${path} is a package manager`,
    }),
  )
}

export interface FileExpectation {
  /** Permission bits, as a number (0o755) or an octal string ('755', '0755', '4755'). */
  mode?: number | string
  /** `uid`, `uid:gid`, `name` or `name:group`, resolved against the image's own /etc/passwd and /etc/group. */
  owner?: string | number
}

function parseMode(mode: number | string): number {
  const value =
    typeof mode === 'number' ? mode : /^[0-7]{3,4}$/.test(mode) ? Number.parseInt(mode, 8) : Number.NaN
  if (!Number.isInteger(value) || value < 0 || value > 0o7777)
    throw new ImgtestError('IMGTEST_USAGE', `mode ${String(mode)} is not an octal permission such as '0755'`)
  return value
}

/**
 * `image.file` findings: the path must exist inside the image (symlinks followed inside it),
 * with the given mode and owner when asked.
 *
 * @example
 * checkFile(index, '/usr/bin/python3', { mode: '0755', owner: 'root' })
 */
export function checkFile(index: FileIndex, path: string, expected: FileExpectation = {}): Finding[] {
  const resolved = resolvePath(index, path)
  const entry = resolved.entry
  if (resolved.problem !== undefined || entry === undefined) {
    const why =
      resolved.problem === 'loop'
        ? 'its symlinks loop'
        : resolved.problem === 'not-a-directory'
          ? `${resolved.at} is not a directory`
          : 'it does not exist'
    return [newFinding({ check: 'image.file', key: path, message: `${path} is missing: ${why}` })]
  }
  const findings: Finding[] = []
  if (expected.mode !== undefined) {
    const want = parseMode(expected.mode)
    const have = entry.mode & 0o7777
    if (want !== have) {
      const octal = (mode: number) => `0${mode.toString(8).padStart(3, '0')}`
      findings.push(
        newFinding({
          check: 'image.file',
          key: `${path} mode`,
          upstream: octal(want),
          rebuilt: octal(have),
          message: `${path} has mode ${octal(have)}, expected ${octal(want)}`,
        }),
      )
    }
  }
  if (expected.owner !== undefined) {
    const want = String(expected.owner)
    const { passwd, group } = readAccounts(index)
    const userName = passwd?.entries.find((user) => user.uid === entry.uid)?.name
    const groupName = group?.entries.find((g) => g.gid === entry.gid)?.name
    const [wantUser = '', wantGroup] = want.split(':')
    const matches = (wanted: string, id: number, name: string | undefined) =>
      wanted === String(id) || (name !== undefined && wanted === name)
    if (
      !matches(wantUser, entry.uid, userName) ||
      (wantGroup !== undefined && !matches(wantGroup, entry.gid, groupName))
    ) {
      const have = `${userName ?? entry.uid}:${groupName ?? entry.gid} (${entry.uid}:${entry.gid})`
      findings.push(
        newFinding({
          check: 'image.file',
          key: `${path} owner`,
          upstream: want,
          rebuilt: have,
          message: `${path} is owned by ${have}, expected ${want}`,
        }),
      )
    }
  }
  return findings
}
