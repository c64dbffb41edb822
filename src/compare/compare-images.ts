import { loadSnapshot } from '../image/load.ts'
import type { ImageSnapshot } from '../image/snapshot.ts'
import type { Finding } from './finding.ts'
import { verdictOf } from './finding.ts'
import { checkInterface } from './interface-checks.ts'
import type { Policy } from './policy.ts'
import { applyPolicy } from './policy.ts'
import { checkSize, type SizeOptions } from './size-checks.ts'

export interface CompareOptions {
  policy?: Policy
  size?: SizeOptions
}

export interface CompareResult {
  verdict: 'pass' | 'fail'
  findings: Finding[]
  upstream: ImageSnapshot
  rebuilt: ImageSnapshot
}

/**
 * The static parity report behind `imgtest compare`: interface and size findings, policy applied.
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
  const findings = applyPolicy(raw, options.policy)
  return { verdict: verdictOf(findings), findings, upstream, rebuilt }
}
