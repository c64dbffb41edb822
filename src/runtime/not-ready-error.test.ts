import type Docker from 'dockerode'
import { describe, expect, test } from 'vitest'
import { describeState } from './not-ready-error.ts'

const base = { Running: false, OOMKilled: false, ExitCode: 0, Error: '', Status: 'exited' }
const state = (fields: Partial<typeof base> & { Health?: { Status: string } }) =>
  ({ ...base, ...fields }) as unknown as Docker.ContainerInspectInfo['State']

describe('describeState', () => {
  test('running, with health when the image has a HEALTHCHECK', () => {
    expect(describeState(state({ Running: true, Status: 'running' }))).toBe('running')
    expect(describeState(state({ Running: true, Status: 'running', Health: { Status: 'starting' } }))).toBe(
      'running, health starting',
    )
  })

  test('exited with its code, OOM kills named', () => {
    expect(describeState(state({ ExitCode: 3 }))).toBe('exited with code 3')
    expect(describeState(state({ ExitCode: 137, OOMKilled: true }))).toBe('exited with code 137 (OOM-killed)')
  })

  test('never started, with the engine error', () => {
    expect(describeState(state({ Status: 'created', Error: 'exec: "/app": no such file' }))).toBe(
      'created, never started: exec: "/app": no such file',
    )
  })
})
