import { describe, expect, test } from 'vitest'
import { leftovers, startChild } from './testdata/start-cleanup-child.ts'

// A child node process starts a network and containers, then gets a signal mid-run (one start is
// still waiting for readiness). Whatever it created must be gone afterwards, checked with the
// docker CLI by the child's session label.
describe('cleanup on signals', () => {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    test(`${signal} mid-run: no container and no network of the run is left, and the process dies of the signal`, async () => {
      const { run, label } = await startChild()
      run.kill(signal)
      const result = await run
      expect(result.signal).toBe(signal)
      expect(await leftovers(label)).toEqual({ containers: [], networks: [] })
    })
  }
})
