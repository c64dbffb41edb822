import { describe, expect, test } from 'vitest'
import { command } from './command.ts'

describe('suites.command', () => {
  test('builds a command suite with copies of the cases', () => {
    const cases = [{ name: 'uid', command: ['id', '-u'], expect: { stdout: '0' } }]
    const suite = command(cases, { name: 'sanity', timeoutMs: 5000 })
    expect(suite).toEqual({ kind: 'command', name: 'sanity', cases, timeoutMs: 5000 })
    expect(suite.cases[0]?.command).not.toBe(cases[0]?.command)
    expect(command(cases).name).toBe('commands')
  })

  test('a shard keeps every n-th case; the shards together are the whole suite', () => {
    const cases = ['a', 'b', 'c', 'd', 'e'].map((name) => ({ name, command: ['true'] }))
    const names = (shard: string) => command(cases, { shard }).cases.map((c) => c.name)
    expect(names('1/2')).toEqual(['a', 'c', 'e'])
    expect(names('2/2')).toEqual(['b', 'd'])
    expect(() => command(cases, { shard: '3/2' })).toThrow(
      /^suites\.command\(\): shard is '<index>\/<total>'/,
    )
  })

  test('rejects what cannot run, naming the case', () => {
    expect(() => command([])).toThrow(/non-empty array/)
    expect(() => command([{ name: '', command: ['x'] }])).toThrow(/case 0 needs a non-empty name/)
    expect(() => command([{ name: 'a', command: 'id' as never }])).toThrow(/case 0 \(a\): command is/)
    expect(() =>
      command([
        { name: 'a', command: ['x'] },
        { name: 'a', command: ['y'] },
      ]),
    ).toThrow(/"a" is used twice/)
    expect(() => command([{ name: 'a', command: ['x'], expect: { stdout: 1 as never } }])).toThrow(
      /expect.stdout is a string or a RegExp/,
    )
    expect(() => command([{ name: 'a', command: ['x'] }], { timeoutMs: 0 })).toThrow(/timeoutMs must be/)
    expect(() => command([{ name: 'a', command: ['x'] }], { parallel: 1.5 })).toThrow(
      /parallel is a whole number/,
    )
  })
})
