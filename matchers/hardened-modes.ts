import type { MatcherState, SyncMatcherResult } from 'vitest'
import type { ReadySpec } from '../src/runtime/container-types.ts'
import { checkNonRoot, checkRunMode, defaultReady } from '../src/runtime/hardened-run.ts'
import { expectImage, imageSubject, parityResult } from './parity-result.ts'

/** Options of the hardened run-mode matchers. */
export interface HardenedModeOptions {
  /** When the container counts as ready; default: TCP on the image's lowest exposed TCP port. */
  ready?: ReadySpec
  /** How long it must stay up and answering after ready; default 1000 ms. */
  stayUpMs?: number
}

/** Options of `toRunWithReadOnlyRootfs`: the paths that get a tmpfs. */
export interface ReadOnlyRootfsOptions extends HardenedModeOptions {
  writable?: string[]
}

/**
 * `expect(image).toRunAsNonRoot({ ready? })`: its USER resolves to a non-zero uid (against the
 * image's own /etc/passwd) and a container started as configured gets ready and stays up.
 */
export async function toRunAsNonRoot(
  this: MatcherState,
  received: unknown,
  options: HardenedModeOptions = {},
): Promise<SyncMatcherResult> {
  const contents = await expectImage(received, 'toRunAsNonRoot').contents()
  const ready = defaultReady(contents.snapshot, 'toRunAsNonRoot', options.ready)
  const findings = await checkNonRoot(contents, ready, options)
  return parityResult(this, 'toRunAsNonRoot', imageSubject(contents.snapshot), findings)
}

/**
 * `expect(image).toRunWithReadOnlyRootfs({ writable?, ready? })`: started with a read-only root
 * and a tmpfs at each writable path, it still gets ready and stays up.
 */
export async function toRunWithReadOnlyRootfs(
  this: MatcherState,
  received: unknown,
  options: ReadOnlyRootfsOptions = {},
): Promise<SyncMatcherResult> {
  const snapshot = await expectImage(received, 'toRunWithReadOnlyRootfs').snapshot()
  const ready = defaultReady(snapshot, 'toRunWithReadOnlyRootfs', options.ready)
  const findings = await checkRunMode(snapshot.ref, 'readonly', ready, options)
  return parityResult(this, 'toRunWithReadOnlyRootfs', imageSubject(snapshot), findings)
}

/**
 * `expect(image).toRunWithoutCapabilities({ ready? })`: started with `--cap-drop ALL` and
 * `no-new-privileges`, it still gets ready and stays up.
 */
export async function toRunWithoutCapabilities(
  this: MatcherState,
  received: unknown,
  options: HardenedModeOptions = {},
): Promise<SyncMatcherResult> {
  const snapshot = await expectImage(received, 'toRunWithoutCapabilities').snapshot()
  const ready = defaultReady(snapshot, 'toRunWithoutCapabilities', options.ready)
  const findings = await checkRunMode(snapshot.ref, 'capabilities', ready, options)
  return parityResult(this, 'toRunWithoutCapabilities', imageSubject(snapshot), findings)
}
