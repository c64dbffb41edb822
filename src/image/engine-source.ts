import { existsSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import type Docker from 'dockerode'
import { ImgtestError } from '../errors.ts'
import { formatDockerReference } from './docker-reference.ts'
import { type EngineHistoryItem, pairEngineHistory } from './engine-history.ts'
import { toImageConfig } from './image-config.ts'
import type { DockerReference } from './ref.ts'
import type { ImageSnapshot, Platform } from './snapshot.ts'

/**
 * The engine address the Docker client dials, as docker-modem picks it: DOCKER_HOST, else the
 * per-user Docker Desktop socket where it exists, else /var/run/docker.sock.
 */
export function engineAddress(env: NodeJS.ProcessEnv = process.env): string {
  if (env.DOCKER_HOST) return env.DOCKER_HOST
  const userSocket = join(homedir(), '.docker', 'run', 'docker.sock')
  return `unix://${existsSync(userSocket) ? userSocket : '/var/run/docker.sock'}`
}

// Error codes of a connection that never reached an engine (no socket, nobody listening, no route).
const UNREACHABLE = new Set([
  'ENOENT',
  'ECONNREFUSED',
  'ECONNRESET',
  'EACCES',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
])

function unreachable(address: string, cause: unknown): ImgtestError {
  const code = (cause as { code?: string }).code ?? (cause as Error).message
  const hint =
    code === 'EACCES'
      ? 'give your user access to the socket (the docker group) or set DOCKER_HOST'
      : 'start Docker or set DOCKER_HOST to a running engine'
  return new ImgtestError(
    'IMGTEST_DAEMON_UNREACHABLE',
    `cannot reach the Docker engine at ${address} (${code}); ${hint}`,
    { cause },
  )
}

/** Maps a failed Engine API call to imgtest's errors; `name` is the image as the user wrote it. */
export function engineError(error: unknown, name: string, address: string): ImgtestError {
  const status = (error as { statusCode?: number }).statusCode
  if (status === 404) {
    return new ImgtestError(
      'IMGTEST_IMAGE_NOT_FOUND',
      `image ${name} not found in the local engine (${address}); build or pull it, or name another transport`,
      { cause: error },
    )
  }
  const code = (error as { code?: string }).code
  if (status === undefined && (code === undefined || UNREACHABLE.has(code)))
    return unreachable(address, error)
  const message = (error as { json?: { message?: string } }).json?.message ?? (error as Error).message
  return new ImgtestError(
    'IMGTEST_DAEMON_UNREACHABLE',
    `the Docker engine at ${address} failed: ${message}`,
    {
      cause: error,
    },
  )
}

/** The name the engine looks an image up by: an id as is, a reference with its digest where it has one. */
function lookupName(reference: DockerReference | string): string {
  if (typeof reference === 'string') return reference
  const { registry, repository, tag, digest } = reference
  return formatDockerReference(
    digest === undefined ? { registry, repository, tag } : { registry, repository, digest },
  )
}

/** A Docker client for `address`; dockerode (with docker-modem, ssh2, grpc) loads on first use, as it takes a few hundred ms. */
export async function createClient(address: string): Promise<Docker> {
  const { default: Dockerode } = await import('dockerode')
  try {
    return new Dockerode()
  } catch (error) {
    // docker-modem rejects a DOCKER_HOST it cannot parse when the client is made.
    throw new ImgtestError(
      'IMGTEST_DAEMON_UNREACHABLE',
      `DOCKER_HOST=${address} is not an engine address; set it like unix:///var/run/docker.sock or tcp://127.0.0.1:2375`,
      { cause: error },
    )
  }
}

export interface EngineSourceOptions {
  /** A client to reuse; by default one is made from DOCKER_HOST / DOCKER_CERT_PATH. */
  docker?: Docker
}

/**
 * Reads an image from the local Docker engine (Engine API: inspect and history), without exporting it.
 * Layer sizes are the engine's uncompressed diff sizes.
 *
 * @example
 * const snapshot = await readEngineImage(parseDockerReference('example/web:1'), 'example/web:1')
 */
export async function readEngineImage(
  reference: DockerReference | string,
  input: string,
  options: EngineSourceOptions = {},
): Promise<ImageSnapshot> {
  const address = engineAddress()
  const docker = options.docker ?? (await createClient(address))
  const name = lookupName(reference)
  const shown = typeof reference === 'string' ? reference : reference.familiar
  const image = docker.getImage(name)
  let inspect: Docker.ImageInspectInfo
  let items: EngineHistoryItem[]
  try {
    inspect = await image.inspect()
    // History by id: the name could be retagged between the two calls.
    items = (await docker.getImage(inspect.Id).history()) as EngineHistoryItem[]
  } catch (error) {
    throw engineError(error, shown, address)
  }
  const diffIds = inspect.RootFS?.Layers ?? []
  let paired = pairEngineHistory(items, diffIds)
  if (paired.ambiguous)
    paired = pairEngineHistory(items, diffIds, await intermediateLayerCounts(docker, items))

  const raw = inspect as Docker.ImageInspectInfo & { Variant?: string }
  const platform: Platform = { os: raw.Os, architecture: raw.Architecture }
  if (raw.Variant) platform.variant = raw.Variant
  const snapshot: ImageSnapshot = {
    ref: input,
    source: 'engine',
    digest: inspect.Id,
    platform,
    config: toImageConfig(inspect.Config),
    layers: paired.layers,
    history: paired.history,
    size: inspect.Size,
    sizeBasis: 'uncompressed',
  }
  const manifestDigest = repoDigest(inspect.RepoDigests, reference)
  if (manifestDigest) snapshot.manifestDigest = manifestDigest
  if (inspect.Created) snapshot.created = inspect.Created
  return snapshot
}

/** The manifest digest from RepoDigests (`name@sha256:…`), preferring the repository the user named. */
function repoDigest(repoDigests: readonly string[] | null | undefined, reference: DockerReference | string) {
  const digests = repoDigests ?? []
  const wanted = typeof reference === 'string' ? undefined : reference
  const matching = wanted
    ? digests.find((item) => item.split('@')[0] === familiarRepository(wanted))
    : undefined
  return (matching ?? digests[0])?.split('@')[1]
}

function familiarRepository(reference: DockerReference): string {
  return reference.familiar.replace(/@.*$/, '').replace(/:[^/:]*$/, '')
}

/** Layer counts of the intermediate images a local build left, to settle which zero-size steps made a layer. */
async function intermediateLayerCounts(docker: Docker, items: readonly EngineHistoryItem[]) {
  const counts = new Map<string, number>()
  for (const item of items) {
    if (!item.Id.startsWith('sha256:') || counts.has(item.Id)) continue
    try {
      const inspect = await docker.getImage(item.Id).inspect()
      counts.set(item.Id, inspect.RootFS?.Layers?.length ?? 0)
    } catch {
      // Pulled images have no intermediates ("<missing>"); a removed one just leaves the guess in place.
    }
  }
  return counts
}
