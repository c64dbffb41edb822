import { readFile } from 'node:fs/promises'
import type { MatcherState, SyncMatcherResult } from 'vitest'
import type { Policy } from '../src/compare/policy.ts'
import { checkSbom } from '../src/compare/sbom-checks.ts'
import { ImgtestError } from '../src/errors.ts'
import type { ImageHandle } from '../src/image/image-handle.ts'
import { loadFileIndex } from '../src/image/layers/load-file-index.ts'
import { readSbom } from '../src/report/sbom/read-sbom.ts'
import { callPolicyOf, expectImage, imageSubject, parityResult } from './parity-result.ts'

export interface SbomMatchOptions {
  /** Where a string `sbom` is a path: on the host (default) or inside the image, as shipped with it. */
  from?: 'host' | 'image'
  policy?: Policy
}

const MAX_SBOM_BYTES = 256 * 1024 * 1024

// The SBOM's JSON: the object given, or a file's text from the host or from the image's layers.
async function sbomSource(
  image: ImageHandle,
  sbom: unknown,
  from: 'host' | 'image',
): Promise<[unknown, string]> {
  if (typeof sbom !== 'string') return [sbom, 'the SBOM given to toMatchSbom()']
  if (from === 'host') {
    const text = await readFile(sbom, 'utf8').catch((cause: unknown) => {
      throw new ImgtestError('IMGTEST_BAD_SBOM', `cannot read SBOM ${sbom}: ${(cause as Error).message}`, {
        cause,
      })
    })
    return [text, sbom]
  }
  const index = await loadFileIndex(await image.snapshot(), {
    content: [sbom],
    maxContentBytes: MAX_SBOM_BYTES,
  })
  const content = index.contents.get(sbom)
  if (content === undefined) {
    throw new ImgtestError(
      'IMGTEST_BAD_SBOM',
      `${sbom} is not a file in ${image.ref} (or is larger than 256 MB)`,
    )
  }
  return [content.toString('utf8'), `${sbom} in ${image.ref}`]
}

/**
 * `expect(image).toMatchSbom(sbom, { from? })`: the SBOM lists exactly what is installed — no component
 * listed but absent (`sbom.absent`), none installed but unlisted (`sbom.unlisted`), no other version
 * (`sbom.version`). `sbom` is CycloneDX or SPDX JSON: an object, or a path on the host or in the image.
 */
export async function toMatchSbom(
  this: MatcherState,
  received: unknown,
  sbom: unknown,
  options: SbomMatchOptions = {},
): Promise<SyncMatcherResult> {
  const image = expectImage(received, 'toMatchSbom')
  const callPolicy = callPolicyOf(options.policy, 'toMatchSbom')
  const [json, where] = await sbomSource(image, sbom, options.from ?? 'host')
  const components = readSbom(json, where)
  const { snapshot, inventory } = await image.contents()
  return parityResult(
    this,
    'toMatchSbom',
    imageSubject(snapshot),
    checkSbom(components, inventory),
    callPolicy,
  )
}
