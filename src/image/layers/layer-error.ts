import { ImgtestError, isImgtestError } from '../../errors.ts'
import type { ImageSnapshot } from '../snapshot.ts'
import { TarFormatError } from './tar-header.ts'

/** `layer 2/5 (sha256:0123456789ab)`: which layer, the way every layer error names it. */
export function layerLabel(snapshot: ImageSnapshot, position: number): string {
  const diffId = snapshot.layers[position]?.diffId ?? ''
  return `layer ${position + 1}/${snapshot.layers.length} (${diffId.slice(0, 19)})`
}

// zlib reports a cut-short gzip or zstd stream with these.
const TRUNCATED = new Set(['Z_BUF_ERROR', 'ERR_ZSTD_BUF_ERROR'])

/**
 * Turns a failure while reading a layer into one line naming the image and the layer: a truncated or
 * corrupt tar or compressed stream is IMGTEST_BAD_ARCHIVE; errors that already are ImgtestErrors
 * (an engine or registry that went away) pass through.
 *
 * @example
 * throw layerReadError(snapshot, 1, error, 'entry usr/bin/env', 'write the archive again with docker save')
 */
export function layerReadError(
  snapshot: ImageSnapshot,
  position: number | string,
  error: unknown,
  current: string | undefined,
  hint: string,
): ImgtestError {
  if (isImgtestError(error)) return error
  const which = typeof position === 'number' ? layerLabel(snapshot, position) : position
  const code = (error as { code?: string }).code ?? ''
  const message = (error as Error).message ?? String(error)
  const inside = current === undefined ? '' : ` (at ${current})`
  let what: string
  if (code === 'ENOENT') what = 'is missing'
  else if (
    TRUNCATED.has(code) ||
    /unexpected end of file/i.test(message) ||
    (error instanceof TarFormatError && error.truncated)
  ) {
    what = `is truncated${inside}`
  } else if (error instanceof TarFormatError) what = `is not a readable tar: ${message}${inside}`
  else if (code.startsWith('Z_') || code.startsWith('ERR_ZSTD') || code.startsWith('ERR__ZLIB')) {
    what = `cannot be decompressed (${message})${inside}`
  } else what = `cannot be read: ${message}${inside}`
  return new ImgtestError('IMGTEST_BAD_ARCHIVE', `${snapshot.ref}: ${which} ${what}; ${hint}`, {
    cause: error,
  })
}

/**
 * The error for a layer whose tar does not hash to the diff id the image config lists.
 *
 * @example
 * throw diffIdMismatch(snapshot, 0, 'sha256:…', 'copy the layout again')
 */
export function diffIdMismatch(
  snapshot: ImageSnapshot,
  position: number,
  actual: string,
  hint: string,
): ImgtestError {
  return new ImgtestError(
    'IMGTEST_BAD_ARCHIVE',
    `${snapshot.ref}: ${layerLabel(snapshot, position)} hashes to ${actual}, not to the diff id its config lists; the layer is corrupt or belongs to another image; ${hint}`,
  )
}
