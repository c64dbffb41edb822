import { describe, expect, test } from 'vitest'
import { statsToSample } from './container-stats.ts'

describe('statsToSample', () => {
  test('cgroup v1: memory usage minus total_inactive_file, CPU as the share of all cores', () => {
    const sample = statsToSample({
      memory_stats: { usage: 10_000_000, stats: { total_inactive_file: 4_000_000 } },
      cpu_stats: {
        cpu_usage: { total_usage: 3_000_000_000 },
        system_cpu_usage: 20_000_000_000,
        online_cpus: 4,
      },
      precpu_stats: { cpu_usage: { total_usage: 2_000_000_000 }, system_cpu_usage: 16_000_000_000 },
    })
    // 1 s of CPU over 4 s of system time (4 cores for 1 s): one core busy.
    expect(sample).toEqual({ memoryBytes: 6_000_000, cpuCores: 1 })
  })

  test('cgroup v2 names the cache inactive_file', () => {
    expect(
      statsToSample({ memory_stats: { usage: 5_000, stats: { inactive_file: 1_000 } } }).memoryBytes,
    ).toBe(4_000)
  })

  test('a stopped container (no readings) gives zeros, not NaN', () => {
    expect(statsToSample({})).toEqual({ memoryBytes: 0, cpuCores: 0 })
  })
})
