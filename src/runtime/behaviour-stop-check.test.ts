import { describe, expect, test } from 'vitest'
import { checkStop, type StopMeasurement } from './behaviour-stop.ts'

const stop = (graceful: boolean, ms: number, image = 'rebuilt:1'): StopMeasurement => ({
  image,
  signal: 'SIGTERM',
  ms,
  graceful,
  ...(graceful ? { exitCode: 0 } : { exitCode: 137 }),
  deadlineMs: 2000,
})

describe('checkStop', () => {
  test('both graceful: no finding, whatever the times', () => {
    expect(checkStop(stop(true, 20, 'up:1'), stop(true, 1900))).toEqual([])
  })

  test('rebuilt killed while upstream stopped: runtime.stop', () => {
    expect(checkStop(stop(true, 20, 'up:1'), stop(false, 2004))).toEqual([
      {
        check: 'runtime.stop',
        key: 'SIGTERM',
        upstream: '20 ms',
        rebuilt: 'killed',
        allowed: false,
        message:
          'rebuilt:1 did not stop gracefully: still running 2000 ms after SIGTERM, killed; upstream stopped on SIGTERM in 20 ms (exit 0)',
      },
    ])
  })

  test('both killed is parity; one image alone must stop', () => {
    expect(checkStop(stop(false, 2004, 'up:1'), stop(false, 2004))).toEqual([])
    expect(checkStop(undefined, stop(false, 2004))).toMatchObject([
      {
        check: 'runtime.stop',
        rebuilt: 'killed',
        message: 'rebuilt:1 did not stop gracefully: still running 2000 ms after SIGTERM, killed',
      },
    ])
    expect(checkStop(undefined, stop(true, 5))).toEqual([])
  })
})
