/** Stable error codes: the CLI prints these in one line and exits 2; scripts may match on them. */
export type ImgtestErrorCode =
  | 'IMGTEST_BAD_REFERENCE'
  | 'IMGTEST_IMAGE_NOT_FOUND'
  | 'IMGTEST_DAEMON_UNREACHABLE'
  | 'IMGTEST_REGISTRY_UNREACHABLE'
  | 'IMGTEST_REGISTRY_AUTH'
  | 'IMGTEST_REGISTRY_ERROR'
  | 'IMGTEST_BAD_ARCHIVE'
  | 'IMGTEST_NO_MATCHING_PLATFORM'
  | 'IMGTEST_BAD_POLICY'
  | 'IMGTEST_BAD_CONFIG'
  | 'IMGTEST_BAD_SBOM'
  | 'IMGTEST_USAGE'
  | 'IMGTEST_BAD_VERSION'
  | 'IMGTEST_NOT_READY'
  | 'IMGTEST_BENCHMARK_FAILED'

/**
 * The one error type imgtest throws on bad input. The message states the measured fact
 * and what to do; the original error, when there is one, is kept as `cause`.
 *
 * @example
 * throw new ImgtestError('IMGTEST_IMAGE_NOT_FOUND', 'image example/web:1 not found in the local engine; build or pull it first')
 */
export class ImgtestError extends Error {
  readonly code: ImgtestErrorCode

  constructor(code: ImgtestErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'ImgtestError'
    this.code = code
  }
}

export function isImgtestError(error: unknown): error is ImgtestError {
  return error instanceof ImgtestError
}
