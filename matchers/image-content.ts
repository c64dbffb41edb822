import type { MatcherState, SyncMatcherResult } from 'vitest'
import {
  checkFile,
  checkNoPackageManager,
  checkNoShell,
  type FileExpectation,
} from '../src/compare/image-checks.ts'
import { expectImage, imageSubject, parityResult } from './parity-result.ts'

/** `expect(image).toHaveFile(path, { mode?, owner? })`: the path exists inside the image (symlinks followed there). */
export async function toHaveFile(
  this: MatcherState,
  received: unknown,
  path: string,
  expected: FileExpectation = {},
): Promise<SyncMatcherResult> {
  const { snapshot, index } = await expectImage(received, 'toHaveFile').contents()
  return parityResult(this, 'toHaveFile', imageSubject(snapshot), checkFile(index, path, expected))
}

/** `expect(image).toHaveNoShell()`: no program named after a shell (busybox included) can run. */
export async function toHaveNoShell(this: MatcherState, received: unknown): Promise<SyncMatcherResult> {
  const { snapshot, index } = await expectImage(received, 'toHaveNoShell').contents()
  return parityResult(this, 'toHaveNoShell', imageSubject(snapshot), checkNoShell(index))
}

/** `expect(image).toHaveNoPackageManager({ language? })`: no apt, dpkg, apk, rpm, … (pip, npm, … with `language`). */
export async function toHaveNoPackageManager(
  this: MatcherState,
  received: unknown,
  options: { language?: boolean } = {},
): Promise<SyncMatcherResult> {
  const { snapshot, index } = await expectImage(received, 'toHaveNoPackageManager').contents()
  return parityResult(
    this,
    'toHaveNoPackageManager',
    imageSubject(snapshot),
    checkNoPackageManager(index, options),
  )
}
