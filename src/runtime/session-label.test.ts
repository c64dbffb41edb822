import { spawnSync } from 'node:child_process'
import { hostname } from 'node:os'
import { describe, expect, test } from 'vitest'
import { sessionAlive, sessionId } from './session-label.ts'

describe('sessionAlive', () => {
  test("this process's session is alive", () => {
    expect(sessionId.startsWith(`${hostname()}:${process.pid}:`)).toBe(true)
    expect(sessionAlive(sessionId)).toBe(true)
  })

  test('a session whose process has exited is not', () => {
    const child = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' })
    expect(sessionAlive(`${hostname()}:${child.stdout.trim()}:abcd1234`)).toBe(false)
  })

  test('another host, or no readable session, counts as not alive', () => {
    expect(sessionAlive(`elsewhere.invalid:${process.pid}:abcd1234`)).toBe(false)
    expect(sessionAlive(undefined)).toBe(false)
    expect(sessionAlive('garbage')).toBe(false)
  })
})
