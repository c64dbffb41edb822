/**
 * The runtime interface of an image, as the OCI image config and Docker's
 * extensions name it. Every source (engine, archive, OCI dir, registry) fills
 * the same fields; absent values are left undefined, never defaulted.
 */
export interface ImageConfig {
  Entrypoint?: string[]
  Cmd?: string[]
  Env?: string[]
  ExposedPorts?: Record<string, object>
  Volumes?: Record<string, object>
  WorkingDir?: string
  User?: string
  Labels?: Record<string, string>
  StopSignal?: string
  Healthcheck?: {
    Test?: string[]
    Interval?: number
    Timeout?: number
    StartPeriod?: number
    StartInterval?: number
    Retries?: number
  }
  Shell?: string[]
  OnBuild?: string[]
}

/** Every field of ImageConfig, in the order reports list them. */
export const IMAGE_CONFIG_FIELDS = [
  'Entrypoint',
  'Cmd',
  'Env',
  'ExposedPorts',
  'Volumes',
  'WorkingDir',
  'User',
  'Labels',
  'StopSignal',
  'Healthcheck',
  'Shell',
  'OnBuild',
] as const satisfies readonly (keyof ImageConfig)[]

export interface Platform {
  os: string
  architecture: string
  variant?: string
}

/** One layer as the source stores it. `size` is in bytes; `compressed` says whether it is the compressed blob size. */
export interface LayerInfo {
  /** Digest of the uncompressed tar (the config's rootfs.diff_ids entry). */
  diffId: string
  /** Digest of the blob as stored, where the source has one (registry, OCI layout). */
  digest?: string
  mediaType?: string
  size: number
  compressed: boolean
}

export interface HistoryEntry {
  created?: string
  createdBy?: string
  comment?: string
  emptyLayer: boolean
}

export type SourceKind = 'engine' | 'docker-archive' | 'oci-archive' | 'oci' | 'registry'

/** What imgtest knows about one image, whatever it was read from. */
export interface ImageSnapshot {
  /** The reference as the user wrote it. */
  ref: string
  source: SourceKind
  /** Image id: the sha256 digest of the config blob. The same image has the same digest in every source. */
  digest: string
  /** Manifest digest where the source knows one (registry, OCI layout, engine RepoDigests). */
  manifestDigest?: string
  platform: Platform
  created?: string
  config: ImageConfig
  layers: LayerInfo[]
  history: HistoryEntry[]
  /** Total bytes: the sum of the layers' sizes on the basis given by `sizeBasis`. */
  size: number
  /** `uncompressed` when every layer size is uncompressed, else `compressed` (registry blobs). */
  sizeBasis: 'uncompressed' | 'compressed'
}
