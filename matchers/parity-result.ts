import type { MatcherState, SyncMatcherResult } from 'vitest'
import { recordArtifact } from 'vitest'
import type { Finding } from '../src/compare/finding.ts'
import { verdictOf } from '../src/compare/finding.ts'
import type { ImagePair } from '../src/compare/image-pair.ts'
import { isImagePair } from '../src/compare/image-pair.ts'
import type { Policy } from '../src/compare/policy.ts'
import { applyPolicy, mergePolicies, validatePolicy } from '../src/compare/policy.ts'
import { runPolicy } from '../src/config/run-policy.ts'
import { ImgtestError } from '../src/errors.ts'
import { ImageHandle } from '../src/image/image-handle.ts'
import type { ImageSnapshot } from '../src/image/snapshot.ts'
import { type ParityArtifact, snapshotSummary } from '../src/report/parity-artifact.ts'
import { formatFindingsTable } from '../src/report/table.ts'

/** The pair a pair matcher was given, or a usage error naming the matcher. */
export function expectPair(received: unknown, matcher: string): ImagePair {
  if (!isImagePair(received)) {
    throw new ImgtestError(
      'IMGTEST_USAGE',
      `${matcher}() expects a pair made by pair({ upstream, rebuilt }), received ${typeof received}`,
    )
  }
  return received
}

/** The image a single-image matcher was given (`pair.rebuilt`, `image(ref)`), or a usage error naming the matcher. */
export function expectImage(received: unknown, matcher: string): ImageHandle {
  if (received instanceof ImageHandle) return received
  const hint = isImagePair(received) ? '; for a pair, name one side: expect(pair.rebuilt)' : ''
  throw new ImgtestError(
    'IMGTEST_USAGE',
    `${matcher}() expects one image, from image(ref) or a pair's .rebuilt/.upstream${hint}`,
  )
}

export function imageSubject(snapshot: ImageSnapshot): Subject {
  return { name: snapshot.ref, images: { image: snapshotSummary(snapshot) } }
}

/** A policy given to a matcher call, validated before any work so a typo fails first, named after the matcher. */
export function callPolicyOf(policy: Policy | undefined, matcher: string): Policy | undefined {
  return policy === undefined ? undefined : validatePolicy(policy, `${matcher}()`)
}

/** Both snapshots of a pair, read concurrently. */
export async function snapshotsOf(pair: ImagePair): Promise<[ImageSnapshot, ImageSnapshot]> {
  return Promise.all([pair.upstream.snapshot(), pair.rebuilt.snapshot()])
}

/** What a matcher checked: a pair or one image, with the policy that applies to it. */
export interface Subject {
  name: string
  policy?: Policy
  images: ParityArtifact['images']
}

export function pairSubject(pair: ImagePair, [upstream, rebuilt]: [ImageSnapshot, ImageSnapshot]): Subject {
  return {
    name: pair.name,
    policy: pair.policy,
    images: { upstream: snapshotSummary(upstream), rebuilt: snapshotSummary(rebuilt) },
  }
}

/**
 * Turns raw findings into a matcher result: policies applied (run config, subject, call), the
 * findings recorded as a test artifact for reporters, and a message with the findings table.
 */
export async function parityResult(
  state: MatcherState,
  matcher: string,
  subject: Subject,
  raw: Finding[],
  callPolicy?: Policy,
): Promise<SyncMatcherResult> {
  const findings = applyPolicy(raw, mergePolicies(runPolicy(), subject.policy, callPolicy))
  const pass = verdictOf(findings) === 'pass'
  const artifact: ParityArtifact = {
    type: 'imgtest:parity',
    matcher,
    subject: subject.name,
    images: subject.images,
    verdict: pass ? 'pass' : 'fail',
    findings,
  }
  if (state.task) await recordArtifact(state.task, artifact)
  const failing = findings.filter((finding) => !finding.allowed)
  const noun = subject.images.image ? 'finding' : 'difference'
  return {
    pass,
    message: () =>
      [
        `${state.utils.matcherHint(`.${matcher}`, subject.name, '', { isNot: state.isNot })}`,
        '',
        pass
          ? `Expected ${subject.name} to fail ${matcher}, but no ${noun} is outside the policy.`
          : `${subject.name}: ${failing.length} ${noun}${failing.length === 1 ? '' : 's'} not allowed by the policy.`,
        '',
        formatFindingsTable(findings),
      ].join('\n'),
    // vitest renders a diff of the values behind the failing findings, upstream as expected.
    expected: Object.fromEntries(failing.map((f) => [f.key ? `${f.check} ${f.key}` : f.check, f.upstream])),
    actual: Object.fromEntries(failing.map((f) => [f.key ? `${f.check} ${f.key}` : f.check, f.rebuilt])),
  }
}
