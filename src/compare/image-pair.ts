import { ImgtestError } from '../errors.ts'
import { ImageHandle } from '../image/image-handle.ts'
import type { Policy } from './policy.ts'
import { validatePolicy } from './policy.ts'

export interface PairOptions {
  upstream: string
  rebuilt: string
  /** Expected differences for every check on this pair; merged with the config's policy and a matcher's own. */
  policy?: Policy
  /** A name for reports; defaults to `upstream → rebuilt`. */
  name?: string
}

/** An upstream image and its rebuild, the unit every parity matcher compares. */
export interface ImagePair {
  readonly name: string
  readonly upstream: ImageHandle
  readonly rebuilt: ImageHandle
  readonly policy: Policy | undefined
}

/**
 * Pair a rebuilt image with its upstream. Does no I/O: images are read when a matcher needs them.
 *
 * @example
 * const web = pair({ upstream: 'example/web:1', rebuilt: 'example/web-hardened:1', policy: { allow: [{ check: 'interface.user' }] } })
 * test('interface', async () => { await expect(web).toHaveInterfaceParity() })
 */
export function pair(options: PairOptions): ImagePair {
  for (const side of ['upstream', 'rebuilt'] as const) {
    if (typeof options?.[side] !== 'string' || options[side] === '') {
      throw new ImgtestError(
        'IMGTEST_USAGE',
        `pair() needs '${side}': an image reference such as 'python:3.12'`,
      )
    }
  }
  return {
    name: options.name ?? `${options.upstream} → ${options.rebuilt}`,
    upstream: new ImageHandle(options.upstream),
    rebuilt: new ImageHandle(options.rebuilt),
    policy:
      options.policy === undefined ? undefined : validatePolicy(options.policy, 'the policy given to pair()'),
  }
}

export function isImagePair(value: unknown): value is ImagePair {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as ImagePair).upstream instanceof ImageHandle &&
    (value as ImagePair).rebuilt instanceof ImageHandle
  )
}
