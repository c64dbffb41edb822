import { describe, expect, test } from 'vitest'
import { inShard, parseShard } from './suite-shard.ts'

describe('suite shards', () => {
  test("'i/n' and { index, total } read the same; every case lands in exactly one shard", () => {
    expect(parseShard('2/3', 'x')).toEqual({ index: 2, total: 3 })
    expect(parseShard({ index: 1, total: 1 }, 'x')).toEqual({ index: 1, total: 1 })
    const names = Array.from({ length: 10 }, (_, i) => `test_${i}`)
    const shards = [1, 2, 3].map((index) => inShard(names, { index, total: 3 }))
    expect(shards[0]).toEqual(['test_0', 'test_3', 'test_6', 'test_9'])
    expect(shards.flat().sort()).toEqual([...names].sort())
    expect(inShard(names, undefined)).toEqual(names)
  })

  test.each(['0/3', '4/3', '1/0', 'one/two', '1-3'])(
    'rejects %j with one line naming the option',
    (value) => {
      expect(() => parseShard(value, 'suites.python()')).toThrow(
        /^suites\.python\(\): shard is '<index>\/<total>' with 1 <= index <= total/,
      )
    },
  )
})
