import { createHash } from 'node:crypto'
import picomatch from 'picomatch'
import type { CaptureSpec } from '../file-index.ts'

/** A CaptureSpec compiled once per read: path tests plus the key that names it in the layer cache. */
export interface CaptureMatcher {
  /** Whether to keep the content of this path (size permitting). */
  content(path: string): boolean
  /** Whether to compute this path's sha256. */
  hash(path: string): boolean
  maxContentBytes: number
  /** A hash of the spec: indexes made with another spec are cached apart. */
  key: string
}

const never = () => false

function matcher(globs: readonly string[] | undefined): (path: string) => boolean {
  if (!globs || globs.length === 0) return never
  return picomatch([...globs], { dot: true })
}

/**
 * Compiles the globs of a capture spec.
 *
 * @example
 * const capture = compileCapture(DEFAULT_CAPTURE)
 * capture.content('/etc/passwd') // true
 */
export function compileCapture(spec: CaptureSpec): CaptureMatcher {
  const canonical = {
    content: [...new Set(spec.content)].sort(),
    maxContentBytes: spec.maxContentBytes,
    hash: [...new Set(spec.hash ?? [])].sort(),
  }
  return {
    content: matcher(canonical.content),
    hash: matcher(canonical.hash),
    maxContentBytes: spec.maxContentBytes,
    key: createHash('sha256').update(JSON.stringify(canonical)).digest('hex').slice(0, 32),
  }
}
