import type { MatcherState, TestArtifactBase } from 'vitest'
import { recordArtifact } from 'vitest'
import type { CaseOutcomes } from './compare-outcomes.ts'
import type { SuiteRun } from './suite-types.ts'

/**
 * What a suite matcher recorded on its test: every case with its outcome on each image (so a
 * JUnit reporter can write one testcase per upstream case) and each run's whole log attached.
 */
export interface SuiteArtifact extends TestArtifactBase {
  type: 'imgtest:suite'
  matcher: string
  /** A pair's name, or one image's reference. */
  subject: string
  suite: string
  cases: CaseOutcomes[]
  /** Whether a run hit its timeout, per side. */
  timedOut: { upstream?: boolean; rebuilt?: boolean }
  /** The side whose log each attachment holds, in the attachments' order. */
  logs: ('upstream' | 'rebuilt')[]
}

const suiteKey = Symbol('imgtest:suite')

declare module 'vitest' {
  interface TestArtifactRegistry {
    [suiteKey]: SuiteArtifact
  }
}

/**
 * Records the cases and the logs (as text attachments named after the image) on the running test,
 * when there is one.
 *
 * @example
 * await recordSuite(this, { matcher: 'toPassUpstreamSuite', subject: pair.name, cases, runs: { upstream, rebuilt } })
 */
export async function recordSuite(
  state: MatcherState,
  fields: {
    matcher: string
    subject: string
    cases: CaseOutcomes[]
    runs: { upstream?: SuiteRun; rebuilt?: SuiteRun }
  },
): Promise<void> {
  if (!state.task) return
  const runs = (['upstream', 'rebuilt'] as const).flatMap((side) => {
    const run = fields.runs[side]
    return run === undefined ? [] : [[side, run] as const]
  })
  const artifact: SuiteArtifact = {
    type: 'imgtest:suite',
    matcher: fields.matcher,
    subject: fields.subject,
    suite: runs[0]?.[1].suite ?? '',
    cases: fields.cases,
    timedOut: Object.fromEntries(runs.map(([side, run]) => [side, run.timedOut])),
    logs: runs.map(([side]) => side),
    attachments: runs.map(([side, run]) => ({
      contentType: 'text/plain',
      body: `# ${side}: ${run.image}\n${run.log}`,
      bodyEncoding: 'utf-8',
    })),
  }
  await recordArtifact(state.task, artifact)
}

export function isSuiteArtifact(artifact: { type: string }): artifact is SuiteArtifact {
  return artifact.type === 'imgtest:suite'
}
