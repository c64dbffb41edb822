import { type Finding, newFinding } from '../../src/compare/finding.ts'
import { goRegExp } from './go-regexp.ts'
import type { FileContentTest } from './structure-test-schema.ts'

/**
 * `structure.content` findings of one CST fileContentTest: every `expectedContents` regex must match
 * the file's text somewhere and no `excludedContents` one may (Go's unanchored MatchString).
 * `content` is undefined when the image has no such regular file, or it was too big to read.
 *
 * @example
 * checkFileContent({ name: 'os', path: '/etc/os-release', expectedContents: ['Debian'] }, 'ID=debian\n')
 */
export function checkFileContent(
  test: FileContentTest,
  content: string | undefined,
  why?: string,
): Finding[] {
  const fail = (message: string) =>
    newFinding({ check: 'structure.content', key: test.name, message: `file ${test.path}: ${message}` })
  if (content === undefined) return [fail(why ?? 'expected to exist, but it does not')]
  const findings: Finding[] = []
  for (const pattern of test.expectedContents ?? [])
    if (!goRegExp(pattern).test(content))
      findings.push(fail(`expected contents to match /${pattern}/, they do not`))
  for (const pattern of test.excludedContents ?? [])
    if (goRegExp(pattern).test(content))
      findings.push(fail(`expected contents not to match /${pattern}/, they do`))
  return findings
}
