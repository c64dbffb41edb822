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
 * What an imgtest matcher leaves on its test for reporters (JUnit properties, JSON, …),
 * recorded with vitest's `recordArtifact` so it crosses from the worker to the reporter.
 */
export interface ParityArtifact extends TestArtifactBase {
  type: 'imgtest:parity'
  matcher: string
  /** What was checked: a pair's name, or one image's reference. */
  subject: string
  /** The images by role: `upstream` and `rebuilt` for a pair, `image` for a single-image matcher. */
  images: Partial<Record<ImageRole, ImageSummary>>
  verdict: 'pass' | 'fail'
  findings: Finding[]
}

export type ImageRole = 'upstream' | 'rebuilt' | 'image'

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
