import { loadContents } from '../image/image-contents.ts'
import { loadSnapshot } from '../image/load.ts'
import type { ImageSnapshot } from '../image/snapshot.ts'
import type { FilesystemOptions } from './filesystem-checks.ts'
import { checkFilesystem } from './filesystem-checks.ts'
import type { Finding } from './finding.ts'
import { verdictOf } from './finding.ts'
import { checkInterface } from './interface-checks.ts'
import { checkPackages, type PackageCheckOptions } from './package-checks.ts'
import type { Policy } from './policy.ts'
import { applyPolicy } from './policy.ts'
import { checkSize, type SizeOptions } from './size-checks.ts'
import { checkUsers } from './user-checks.ts'

export interface CompareOptions {
  policy?: Policy
  size?: SizeOptions
  filesystem?: FilesystemOptions
  packages?: PackageCheckOptions
  /** Compare the configs only (interface, size): no layer is read. Default false. */
  configOnly?: boolean
}

export interface CompareResult {
  verdict: 'pass' | 'fail'
  findings: Finding[]
  upstream: ImageSnapshot
  rebuilt: ImageSnapshot
}

/**
 * The static parity report behind `imgtest compare`: interface and size from the configs, then
 * files, users and packages from the layers (streamed once, cached on disk), policy applied.
 *
 * @example
 * const { verdict, findings } = await compareImages('example/web:1', 'example/web-hardened:1')
 */
export async function compareImages(
  upstreamRef: string,
  rebuiltRef: string,
  options: CompareOptions = {},
): Promise<CompareResult> {
  const [upstream, rebuilt] = await Promise.all([loadSnapshot(upstreamRef), loadSnapshot(rebuiltRef)])
  const raw = [...checkInterface(upstream, rebuilt), ...checkSize(upstream, rebuilt, options.size)]
  if (!options.configOnly) {
    const [up, re] = await Promise.all([loadContents(upstreamRef), loadContents(rebuiltRef)])
    raw.push(
      ...checkFilesystem(up, re, options.filesystem),
      ...checkUsers(up, re),
      ...checkPackages(up, re, options.packages),
    )
  }
  const findings = applyPolicy(raw, options.policy)
  return { verdict: verdictOf(findings), findings, upstream, rebuilt }
}
