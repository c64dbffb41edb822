import type { MatcherState, SyncMatcherResult } from 'vitest'
import { checkFilesystem, type FilesystemOptions } from '../src/compare/filesystem-checks.ts'
import type { Policy } from '../src/compare/policy.ts'
import { checkUsers } from '../src/compare/user-checks.ts'
import { callPolicyOf, expectPair, pairSubject, parityResult } from './parity-result.ts'

export interface FilesystemParityOptions extends FilesystemOptions {
  policy?: Policy
}

/**
 * `expect(pair).toHaveFilesystemParity({ paths? })`: upstream's PATH executables, entrypoint and cmd
 * programs and the given globs exist in rebuilt with a compatible type, mode and owner; no new
 * setuid files; the same users and groups.
 */
export async function toHaveFilesystemParity(
  this: MatcherState,
  received: unknown,
  options: FilesystemParityOptions = {},
): Promise<SyncMatcherResult> {
  const pair = expectPair(received, 'toHaveFilesystemParity')
  const { policy, ...checkOptions } = options
  const callPolicy = callPolicyOf(policy, 'toHaveFilesystemParity')
  const [upstream, rebuilt] = await Promise.all([pair.upstream.contents(), pair.rebuilt.contents()])
  const findings = [...checkFilesystem(upstream, rebuilt, checkOptions), ...checkUsers(upstream, rebuilt)]
  const subject = pairSubject(pair, [upstream.snapshot, rebuilt.snapshot])
  return parityResult(this, 'toHaveFilesystemParity', subject, findings, callPolicy)
}
