import { ImgtestError } from '../errors.ts'

/** An image reference, or anything with one (`pair.rebuilt`, `image(ref)`). */
export type ImageRefLike = string | { readonly ref: string }

/** What the behaviour helpers compare: a pair from `pair()`, or two references. */
export interface PairLike {
  readonly upstream: ImageRefLike
  readonly rebuilt: ImageRefLike
  readonly name?: string
}

/** The reference of an image-like value, or a usage error naming the caller. */
export function refOf(image: ImageRefLike, where: string): string {
  const ref = typeof image === 'string' ? image : image?.ref
  if (typeof ref !== 'string' || ref === '') {
    throw new ImgtestError(
      'IMGTEST_USAGE',
      `${where} expects an image reference or pair({ upstream, rebuilt }), received ${JSON.stringify(image)}`,
    )
  }
  return ref
}

/** Both references of a pair-like value. */
export function refsOf(pair: PairLike, where: string): { upstream: string; rebuilt: string } {
  if (typeof pair !== 'object' || pair === null) {
    throw new ImgtestError(
      'IMGTEST_USAGE',
      `${where} expects pair({ upstream, rebuilt }) or { upstream, rebuilt } references, received ${typeof pair}`,
    )
  }
  return { upstream: refOf(pair.upstream, where), rebuilt: refOf(pair.rebuilt, where) }
}

/** A command as one readable string for keys and messages: arguments with spaces or quotes are JSON-quoted. */
export function formatCommand(command: readonly string[]): string {
  return command.map((arg) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : JSON.stringify(arg))).join(' ')
}
