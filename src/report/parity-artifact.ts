import type { TestArtifactBase } from 'vitest'
import type { Finding } from '../compare/finding.ts'
import type { ImageSnapshot } from '../image/snapshot.ts'

/** What a report shows of one image next to its findings. */
export interface ImageSummary {
  ref: string
  source: ImageSnapshot['source']
  digest: string
  size: number
  sizeBasis: ImageSnapshot['sizeBasis']
  platform: string
}

/**
 * What a parity matcher leaves on its test for reporters (JUnit properties, JSON, …),
 * recorded with vitest's `recordArtifact` so it crosses from the worker to the reporter.
 */
export interface ParityArtifact extends TestArtifactBase {
  type: 'imgtest:parity'
  matcher: string
  pair: string
  upstream: ImageSummary
  rebuilt: ImageSummary
  verdict: 'pass' | 'fail'
  findings: Finding[]
}

const parityKey = Symbol('imgtest:parity')

declare module 'vitest' {
  interface TestArtifactRegistry {
    [parityKey]: ParityArtifact
  }
}

export function snapshotSummary(snapshot: ImageSnapshot): ImageSummary {
  const { os, architecture, variant } = snapshot.platform
  return {
    ref: snapshot.ref,
    source: snapshot.source,
    digest: snapshot.digest,
    size: snapshot.size,
    sizeBasis: snapshot.sizeBasis,
    platform: [os, architecture, variant].filter(Boolean).join('/'),
  }
}

export function isParityArtifact(artifact: { type: string }): artifact is ParityArtifact {
  return artifact.type === 'imgtest:parity'
}
