import { ImgtestError } from '../errors.ts'
import type { HistoryEntry, ImageConfig, Platform } from './snapshot.ts'

/** What an image config blob (OCI image config or Docker's `container.image.v1`) says, in snapshot terms. */
export interface ConfigBlob {
  platform: Platform
  created?: string
  config: ImageConfig
  /** `rootfs.diff_ids`: one per non-empty layer, in order. */
  diffIds: string[]
  history: HistoryEntry[]
}

interface RawConfig {
  architecture?: string
  os?: string
  variant?: string
  created?: string
  config?: Record<string, unknown> | null
  rootfs?: { type?: string; diff_ids?: string[] }
  history?: { created?: string; created_by?: string; comment?: string; empty_layer?: boolean }[] | null
}

const LIST_FIELDS = ['Entrypoint', 'Cmd', 'Env', 'Shell', 'OnBuild'] as const
const MAP_FIELDS = ['ExposedPorts', 'Volumes', 'Labels'] as const
// Docker writes "" for these when unset; "" means absent, so it maps to undefined like null does.
const STRING_FIELDS = ['WorkingDir', 'User', 'StopSignal'] as const
const HEALTH_FIELDS = ['Test', 'Interval', 'Timeout', 'StartPeriod', 'StartInterval', 'Retries'] as const

/**
 * Reads a config blob's JSON into the snapshot's terms: the ImageConfig fields (absent or null →
 * undefined, never defaulted), platform, creation time, diff ids and history. `where` names the blob
 * in errors.
 *
 * @example
 * const { config, diffIds } = parseConfigBlob(await client.getBlob(digest), 'registry.example/app:1')
 */
export function parseConfigBlob(bytes: Uint8Array, where: string): ConfigBlob {
  let raw: RawConfig
  try {
    raw = JSON.parse(Buffer.from(bytes).toString('utf8')) as RawConfig
  } catch (error) {
    throw new ImgtestError('IMGTEST_REGISTRY_ERROR', `config of ${where} is not valid JSON`, { cause: error })
  }
  if (!raw || typeof raw !== 'object' || !Array.isArray(raw.rootfs?.diff_ids)) {
    throw new ImgtestError(
      'IMGTEST_REGISTRY_ERROR',
      `config of ${where} has no rootfs.diff_ids; not an image config`,
    )
  }
  const platform: Platform = { os: raw.os ?? 'unknown', architecture: raw.architecture ?? 'unknown' }
  if (raw.variant) platform.variant = raw.variant
  return {
    platform,
    ...(raw.created ? { created: raw.created } : {}),
    config: imageConfig(raw.config ?? {}),
    diffIds: [...raw.rootfs.diff_ids],
    history: (raw.history ?? []).map((entry) => ({
      ...(entry.created !== undefined ? { created: entry.created } : {}),
      ...(entry.created_by !== undefined ? { createdBy: entry.created_by } : {}),
      ...(entry.comment !== undefined ? { comment: entry.comment } : {}),
      emptyLayer: entry.empty_layer === true,
    })),
  }
}

function imageConfig(raw: Record<string, unknown>): ImageConfig {
  const config: Record<string, unknown> = {}
  for (const field of LIST_FIELDS) {
    const value = raw[field]
    if (Array.isArray(value)) config[field] = value.map(String)
  }
  for (const field of MAP_FIELDS) {
    const value = raw[field]
    if (value && typeof value === 'object' && !Array.isArray(value)) config[field] = { ...value }
  }
  for (const field of STRING_FIELDS) {
    const value = raw[field]
    if (typeof value === 'string' && value !== '') config[field] = value
  }
  const health = raw.Healthcheck as Record<string, unknown> | null | undefined
  if (health && typeof health === 'object') {
    const healthcheck: Record<string, unknown> = {}
    for (const field of HEALTH_FIELDS) {
      if (health[field] !== undefined && health[field] !== null) healthcheck[field] = health[field]
    }
    config.Healthcheck = healthcheck
  }
  return config as ImageConfig
}
