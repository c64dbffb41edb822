import { ImgtestError } from '../errors.ts'

/** One of `total` parts of a suite's cases, 1-based as `imgtest --shard 2/4` and vitest count them. */
export interface SuiteShard {
  index: number
  total: number
}

/**
 * Reads a shard given as `'2/4'` or `{ index: 2, total: 4 }`; `where` names the option in errors.
 *
 * @example
 * parseShard(process.env.SUITE_SHARD ?? '1/1', 'suites.python()') // { index: 1, total: 1 }
 */
export function parseShard(value: string | SuiteShard, where: string): SuiteShard {
  const match = typeof value === 'string' ? /^(\d+)\/(\d+)$/.exec(value.trim()) : null
  const shard =
    match !== null
      ? { index: Number(match[1]), total: Number(match[2]) }
      : typeof value === 'object' && value !== null
        ? { index: value.index, total: value.total }
        : undefined
  if (
    shard === undefined ||
    !Number.isInteger(shard.index) ||
    !Number.isInteger(shard.total) ||
    shard.index < 1 ||
    shard.index > shard.total
  ) {
    throw new ImgtestError(
      'IMGTEST_USAGE',
      `${where}: shard is '<index>/<total>' with 1 <= index <= total, such as '2/4', got ${JSON.stringify(value)}`,
    )
  }
  return shard
}

/**
 * The cases of one shard: every `total`-th case from the `index`-th, in the order given, so
 * each case lands in exactly one shard and both images of a pair get the same ones.
 *
 * @example
 * inShard(['a', 'b', 'c', 'd', 'e'], { index: 2, total: 2 }) // ['b', 'd']
 */
export function inShard<T>(items: readonly T[], shard: SuiteShard | undefined): T[] {
  if (shard === undefined) return [...items]
  return items.filter((_, position) => position % shard.total === shard.index - 1)
}
