import type { MatcherState, TestArtifactBase } from 'vitest'
import { recordArtifact } from 'vitest'

/**
 * What a runtime matcher measured, pass or fail, for reports: findings exist only for differences
 * beyond tolerance, while a dashboard wants every median, mean and p99.
 */
export interface RuntimeMeasurementArtifact extends TestArtifactBase {
  type: 'imgtest:runtime'
  matcher: string
  /** A pair's name, or one image's reference. */
  subject: string
  measurement: 'startup' | 'benchmark' | 'resources'
  verdict: 'pass' | 'fail'
  /** The measure function's result (medians, means, p99, samples), findings left out. */
  result: Record<string, unknown>
}

const runtimeKey = Symbol('imgtest:runtime')

declare module 'vitest' {
  interface TestArtifactRegistry {
    [runtimeKey]: RuntimeMeasurementArtifact
  }
}

/** Records `result` on the running test, when there is one (a matcher called outside a test has none). */
export async function recordMeasurement(
  state: MatcherState,
  artifact: Omit<RuntimeMeasurementArtifact, 'type'>,
): Promise<void> {
  if (state.task) await recordArtifact(state.task, { type: 'imgtest:runtime', ...artifact })
}

export function isRuntimeMeasurement(artifact: { type: string }): artifact is RuntimeMeasurementArtifact {
  return artifact.type === 'imgtest:runtime'
}
