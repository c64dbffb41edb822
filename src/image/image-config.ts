import { createHash } from 'node:crypto'
import { ImgtestError, type ImgtestErrorCode } from '../errors.ts'
import type { HistoryEntry, ImageConfig, Platform } from './snapshot.ts'

/** What an image config blob (Docker's `<id>.json`, the OCI image config) says, mapped to imgtest's model. */
export interface ParsedImageConfig {
  /** `sha256:` of the blob bytes: the image id. */
  digest: string
  platform: Platform
  created?: string
  config: ImageConfig
  history: HistoryEntry[]
  /** rootfs.diff_ids, oldest layer first. */
  diffIds: string[]
}

type Json = Record<string, unknown>

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
const nonEmptyString = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined
const stringArray = (value: unknown): string[] | undefined =>
  Array.isArray(value) && value.every((item) => typeof item === 'string') ? [...value] : undefined

function stringRecord(value: unknown): Record<string, string> | undefined {
  if (!isObject(value)) return undefined
  const entries = Object.entries(value).filter(
    (entry): entry is [string, string] => typeof entry[1] === 'string',
  )
  return Object.fromEntries(entries)
}

function objectRecord(value: unknown): Record<string, object> | undefined {
  if (!isObject(value)) return undefined
  return Object.fromEntries(Object.keys(value).map((key) => [key, {}]))
}

function healthcheck(value: unknown): ImageConfig['Healthcheck'] {
  if (!isObject(value)) return undefined
  const result: NonNullable<ImageConfig['Healthcheck']> = {}
  const test = stringArray(value.Test)
  if (test) result.Test = test
  for (const key of ['Interval', 'Timeout', 'StartPeriod', 'StartInterval', 'Retries'] as const) {
    const field = value[key]
    if (typeof field === 'number' && field !== 0) result[key] = field
  }
  return result
}

/**
 * Picks the runtime interface out of a config object (the `config` of an image config blob, or the
 * `Config` of an engine inspect). Null, empty strings and zero durations mean "not set" in Docker's
 * Go types, so they become undefined: the same image gives the same result from every source.
 *
 * @example
 * toImageConfig({ Env: ['PATH=/bin'], Entrypoint: null, WorkingDir: '' }) // { Env: ['PATH=/bin'] }
 */
export function toImageConfig(raw: unknown): ImageConfig {
  if (!isObject(raw)) return {}
  const fields: ImageConfig = {
    Entrypoint: stringArray(raw.Entrypoint),
    Cmd: stringArray(raw.Cmd),
    Env: stringArray(raw.Env),
    ExposedPorts: objectRecord(raw.ExposedPorts),
    Volumes: objectRecord(raw.Volumes),
    WorkingDir: nonEmptyString(raw.WorkingDir),
    User: nonEmptyString(raw.User),
    Labels: stringRecord(raw.Labels),
    StopSignal: nonEmptyString(raw.StopSignal),
    Healthcheck: healthcheck(raw.Healthcheck),
    Shell: stringArray(raw.Shell),
    OnBuild: stringArray(raw.OnBuild),
  }
  // Absent keys are left out rather than set to undefined, so deep equality and JSON see only what is there.
  return Object.fromEntries(Object.entries(fields).filter((entry) => entry[1] !== undefined)) as ImageConfig
}

/** History of a config blob, oldest first, as imgtest's HistoryEntry. */
export function toHistory(raw: unknown): HistoryEntry[] {
  if (!Array.isArray(raw)) return []
  return raw.filter(isObject).map((item) => {
    const entry: HistoryEntry = { emptyLayer: item.empty_layer === true }
    const created = nonEmptyString(item.created)
    const createdBy = nonEmptyString(item.created_by)
    const comment = nonEmptyString(item.comment)
    if (created) entry.created = created
    if (createdBy) entry.createdBy = createdBy
    if (comment) entry.comment = comment
    return entry
  })
}

/** `sha256:<hex>` of some bytes. */
export function sha256Digest(bytes: Uint8Array): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`
}

/**
 * Parses the bytes of an image config blob. `where` names it in errors ("config blob sha256:… in web.tar");
 * `code` is the error code of the source (IMGTEST_BAD_ARCHIVE for files, IMGTEST_REGISTRY_ERROR for registries).
 *
 * @example
 * const parsed = parseImageConfig(bytes, 'config d405… in web.tar', 'IMGTEST_BAD_ARCHIVE')
 */
export function parseImageConfig(
  bytes: Uint8Array,
  where: string,
  code: ImgtestErrorCode,
): ParsedImageConfig {
  let raw: unknown
  try {
    raw = JSON.parse(Buffer.from(bytes).toString('utf8'))
  } catch (error) {
    throw new ImgtestError(code, `${where} is not valid JSON (${(error as Error).message})`, { cause: error })
  }
  if (!isObject(raw)) throw new ImgtestError(code, `${where} is not a JSON object`)
  const rootfs = isObject(raw.rootfs) ? raw.rootfs : {}
  const diffIds = stringArray(rootfs.diff_ids)
  if (!diffIds)
    throw new ImgtestError(code, `${where} has no rootfs.diff_ids list; it is not an image config`)
  const platform: Platform = {
    os: nonEmptyString(raw.os) ?? 'unknown',
    architecture: nonEmptyString(raw.architecture) ?? 'unknown',
  }
  const variant = nonEmptyString(raw.variant)
  if (variant) platform.variant = variant
  const parsed: ParsedImageConfig = {
    digest: sha256Digest(bytes),
    platform,
    config: toImageConfig(raw.config),
    history: toHistory(raw.history),
    diffIds,
  }
  const created = nonEmptyString(raw.created)
  if (created) parsed.created = created
  return parsed
}
