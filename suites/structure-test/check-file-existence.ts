import { type Finding, newFinding } from '../../src/compare/finding.ts'
import type { FileIndex } from '../../src/image/file-index.ts'
import { resolvePath } from '../../src/image/resolve-path.ts'
import { modeString } from './mode-string.ts'
import type { FileExistenceTest } from './structure-test-schema.ts'

const EXEC_BITS = { owner: 0o100, group: 0o010, other: 0o001, any: 0o111 } as const

/**
 * `structure.file` findings of one CST fileExistenceTest, read from the file index (no container):
 * existence, then permissions (Go's mode string, the final symlink not followed, as CST's `docker cp`
 * sees it), uid, gid and isExecutableBy. No finding means the test passed.
 *
 * @example
 * checkFileExistence(index, { name: 'passwd', path: '/etc/passwd', permissions: '-rw-r--r--' })
 */
export function checkFileExistence(index: FileIndex, test: FileExistenceTest): Finding[] {
  const shouldExist = test.shouldExist ?? true
  const fail = (message: string, rebuilt?: unknown) =>
    newFinding({ check: 'structure.file', key: test.name, rebuilt, message: `file ${test.path}: ${message}` })
  const resolved = resolvePath(index, test.path, { followFinal: false })
  const exists = resolved.problem === undefined
  if (!shouldExist) return exists ? [fail('expected not to exist, but it does', test.path)] : []
  if (!exists) return [fail(`expected to exist, but it does not (${resolved.problem} at ${resolved.at})`)]
  // A directory known only through its contents: root-owned 0755, as the engine makes it.
  const entry = resolved.entry ?? { type: 'dir' as const, mode: 0o755, uid: 0, gid: 0 }
  const findings: Finding[] = []
  if (test.permissions !== undefined) {
    const have = modeString(entry)
    if (have !== test.permissions)
      findings.push(fail(`expected permissions ${test.permissions}, got ${have}`, have))
  }
  // CST's -1 means "do not check".
  if (test.uid !== undefined && test.uid !== -1 && test.uid !== entry.uid)
    findings.push(fail(`expected uid ${test.uid}, got ${entry.uid}`, entry.uid))
  if (test.gid !== undefined && test.gid !== -1 && test.gid !== entry.gid)
    findings.push(fail(`expected gid ${test.gid}, got ${entry.gid}`, entry.gid))
  if (test.isExecutableBy !== undefined && (entry.mode & EXEC_BITS[test.isExecutableBy]) === 0) {
    const have = modeString(entry)
    findings.push(fail(`expected to be executable by ${test.isExecutableBy}, but its mode is ${have}`, have))
  }
  return findings
}
