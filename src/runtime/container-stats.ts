import type Docker from 'dockerode'
import type { ResourceSample } from './container-types.ts'

/** The parts of an Engine API stats answer a sample reads (cgroup v1 and v2 keys). */
interface EngineStats {
  memory_stats?: { usage?: number; stats?: Record<string, number> }
  cpu_stats?: { cpu_usage?: { total_usage?: number }; system_cpu_usage?: number; online_cpus?: number }
  precpu_stats?: { cpu_usage?: { total_usage?: number }; system_cpu_usage?: number }
}

/**
 * One resource sample from `/containers/{id}/stats?stream=false` (the engine takes two readings
 * about a second apart, so CPU is a rate over that second).
 *
 * @example
 * const { memoryBytes, cpuCores } = await sampleStats(docker.getContainer(id))
 */
export async function sampleStats(container: Docker.Container): Promise<ResourceSample> {
  const stats = (await container.stats({ stream: false })) as EngineStats
  return { ...statsToSample(stats), at: Date.now() }
}

/** Memory as `docker stats` shows it (usage minus page cache) and CPU in cores. */
export function statsToSample(stats: EngineStats): Omit<ResourceSample, 'at'> {
  const usage = stats.memory_stats?.usage ?? 0
  const detail = stats.memory_stats?.stats ?? {}
  // cgroup v1 reports total_inactive_file, v2 inactive_file; the docker CLI subtracts either.
  const cache = detail.total_inactive_file ?? detail.inactive_file ?? 0
  const cpu =
    (stats.cpu_stats?.cpu_usage?.total_usage ?? 0) - (stats.precpu_stats?.cpu_usage?.total_usage ?? 0)
  const system = (stats.cpu_stats?.system_cpu_usage ?? 0) - (stats.precpu_stats?.system_cpu_usage ?? 0)
  const cpus = stats.cpu_stats?.online_cpus ?? 1
  return {
    memoryBytes: Math.max(0, usage - (cache < usage ? cache : 0)),
    cpuCores: system > 0 && cpu > 0 ? (cpu / system) * cpus : 0,
  }
}
