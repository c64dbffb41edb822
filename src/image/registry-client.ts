import { createHash } from 'node:crypto'
import { ImgtestError } from '../errors.ts'
import { type CredentialLookup, findDockerCredentials } from './docker-credentials.ts'
import { type AuthChallenge, parseAuthChallenges } from './registry-challenge.ts'
import { registryErrorCodes, registryUnreachable } from './registry-errors.ts'
import { MANIFEST_ACCEPT } from './registry-manifest.ts'
import { basicAuthorization, fetchBearerToken } from './registry-token.ts'

export interface RegistryClientOptions {
  /** Registry as a DockerReference names it: `docker.io`, `registry.example:5000`, `127.0.0.1:5000`. */
  registry: string
  repository: string
  /** Plain http even for a remote host, as Docker's `insecure-registries`. */
  insecure?: boolean
  /** Directory holding Docker's config.json; default `$DOCKER_CONFIG`, else `~/.docker`. */
  dockerConfig?: string
  env?: NodeJS.ProcessEnv
}

export interface FetchedManifest {
  bytes: Uint8Array
  contentType: string | null
  /** Digest of the bytes as served (checked against Docker-Content-Digest and a requested digest). */
  digest: string
}

const MAX_MANIFEST_BYTES = 4 * 1024 * 1024
const MAX_BLOB_BYTES = 64 * 1024 * 1024

/**
 * Base URL of a registry's API. Docker Hub lives at registry-1.docker.io; localhost, 127.0.0.0/8
 * and ::1 are spoken to over plain http, as Docker does, and so is any host when `insecure` is set.
 *
 * @example
 * registryBaseUrl('docker.io') // 'https://registry-1.docker.io'
 * registryBaseUrl('127.0.0.1:5000') // 'http://127.0.0.1:5000'
 */
export function registryBaseUrl(registry: string, insecure = false): string {
  const host = ['docker.io', 'index.docker.io'].includes(registry) ? 'registry-1.docker.io' : registry
  const hostname = host.startsWith('[') ? host.slice(1, host.indexOf(']')) : (host.split(':')[0] ?? host)
  const local = hostname === 'localhost' || hostname === '::1' || /^127\.\d+\.\d+\.\d+$/.test(hostname)
  return `${insecure || local ? 'http' : 'https'}://${host}`
}

/**
 * A pull-only client of one repository on a Registry HTTP API v2 server. It asks anonymously first and
 * answers a 401 challenge (Bearer token or Basic) with the credentials Docker's config holds.
 *
 * @example
 * const client = new RegistryClient({ registry: '127.0.0.1:5000', repository: 'app' })
 * const manifest = await client.getManifest('1')
 */
export class RegistryClient {
  readonly registry: string
  readonly repository: string
  readonly baseUrl: string
  readonly #options: RegistryClientOptions
  #authorization: string | undefined
  #lookup: CredentialLookup | undefined

  constructor(options: RegistryClientOptions) {
    this.#options = options
    this.registry = options.registry
    this.repository = options.repository
    this.baseUrl = registryBaseUrl(options.registry, options.insecure)
  }

  /** Fetches a manifest by tag or digest; throws IMGTEST_IMAGE_NOT_FOUND when the registry does not know it. */
  async getManifest(reference: string): Promise<FetchedManifest> {
    const byDigest = reference.includes(':')
    const where = `${this.registry}/${this.repository}${byDigest ? '@' : ':'}${reference}`
    const response = await this.#request(`/v2/${this.repository}/manifests/${reference}`, {
      accept: MANIFEST_ACCEPT,
    })
    if (response.status === 404) {
      const codes = await registryErrorCodes(response)
      throw new ImgtestError(
        'IMGTEST_IMAGE_NOT_FOUND',
        `image ${where} not found in registry ${this.registry}${codes ? ` (${codes})` : ''}; check the repository and tag, or push the image first`,
      )
    }
    const bytes = await this.#body(response, where, MAX_MANIFEST_BYTES)
    const algorithm = byDigest ? (reference.split(':')[0] ?? 'sha256') : 'sha256'
    const digest = digestOf(bytes, algorithm, where)
    const served = response.headers.get('docker-content-digest')
    if ((byDigest && digest !== reference) || (served?.startsWith(`${algorithm}:`) && served !== digest)) {
      throw new ImgtestError(
        'IMGTEST_REGISTRY_ERROR',
        `manifest ${where} from ${this.registry} has digest ${digest}, not ${byDigest ? reference : served}; the registry served corrupt data`,
      )
    }
    return { bytes, contentType: response.headers.get('content-type'), digest }
  }

  /** Fetches a blob (a config; never a layer) and checks it against its digest. */
  async getBlob(digest: string): Promise<Uint8Array> {
    const where = `${this.registry}/${this.repository}@${digest}`
    const response = await this.#request(`/v2/${this.repository}/blobs/${digest}`, {})
    if (response.status === 404) {
      throw new ImgtestError(
        'IMGTEST_REGISTRY_ERROR',
        `blob ${where} is missing from registry ${this.registry} (404); the image was pushed incompletely`,
      )
    }
    const bytes = await this.#body(response, where, MAX_BLOB_BYTES)
    const actual = digestOf(bytes, digest.split(':')[0] ?? 'sha256', where)
    if (actual !== digest) {
      throw new ImgtestError(
        'IMGTEST_REGISTRY_ERROR',
        `blob ${where} from ${this.registry} has digest ${actual}; the registry served corrupt data`,
      )
    }
    return bytes
  }

  /** Opens a blob (a layer) as a stream, without reading it; the caller checks what it reads. */
  async openBlob(digest: string): Promise<ReadableStream<Uint8Array>> {
    const where = `${this.registry}/${this.repository}@${digest}`
    const response = await this.#request(`/v2/${this.repository}/blobs/${digest}`, {})
    if (response.status === 404) {
      throw new ImgtestError(
        'IMGTEST_REGISTRY_ERROR',
        `blob ${where} is missing from registry ${this.registry} (404); the image was pushed incompletely`,
      )
    }
    if (!response.ok || !response.body) {
      const codes = await registryErrorCodes(response)
      throw new ImgtestError(
        'IMGTEST_REGISTRY_ERROR',
        `registry ${this.registry} answered ${response.status}${codes ? ` ${codes}` : ''} for ${where}`,
      )
    }
    return response.body
  }

  // Sends a GET; on a 401 challenge authenticates once and retries. Other statuses go back to the caller.
  async #request(path: string, headers: Record<string, string>): Promise<Response> {
    const url = `${this.baseUrl}${path}`
    let response = await this.#fetch(url, headers)
    if (response.status === 401 && !this.#authorization) {
      const challenges = parseAuthChallenges(response.headers.get('www-authenticate') ?? '')
      await response.body?.cancel()
      this.#authorization = await this.#authenticate(challenges, response.status)
      response = await this.#fetch(url, headers)
    }
    if (response.status === 401 || response.status === 403) {
      throw await this.#authError(response.status, await registryErrorCodes(response))
    }
    return response
  }

  async #fetch(url: string, headers: Record<string, string>): Promise<Response> {
    const authorization: Record<string, string> = this.#authorization
      ? { authorization: this.#authorization }
      : {}
    try {
      return await fetch(url, { headers: { ...headers, ...authorization } })
    } catch (error) {
      throw registryUnreachable(url, error)
    }
  }

  async #credentials(): Promise<CredentialLookup> {
    this.#lookup ??= await findDockerCredentials(this.registry, {
      configDir: this.#options.dockerConfig,
      env: this.#options.env,
    })
    return this.#lookup
  }

  // Turns a challenge into an Authorization header value.
  async #authenticate(challenges: AuthChallenge[], status: number): Promise<string> {
    const lookup = await this.#credentials()
    const credentials = lookup.credentials
    const bearer = challenges.find((challenge) => challenge.scheme === 'bearer' && challenge.params.realm)
    if (bearer) {
      const answer = await fetchBearerToken(bearer, `repository:${this.repository}:pull`, credentials)
      if ('token' in answer) return `Bearer ${answer.token}`
      throw await this.#authError(answer.denied, `from token server ${answer.origin}`)
    }
    if (challenges.some((challenge) => challenge.scheme === 'basic') && credentials?.username !== undefined) {
      return basicAuthorization(credentials)
    }
    throw await this.#authError(status, challenges.length === 0 ? 'no WWW-Authenticate challenge' : '')
  }

  // One line saying which config key to set; never the secret itself.
  async #authError(status: number, detail: string): Promise<ImgtestError> {
    const lookup = await this.#credentials()
    const key = `auths["${lookup.configKey}"]`
    const what = `registry ${this.registry} denied access to ${this.repository} (${status}${detail ? ` ${detail}` : ''})`
    const message = lookup.credentials
      ? `${what} with the credentials from ${lookup.origin}; check them with \`docker login ${this.registry}\` or fix ${key} in ${lookup.configPath}`
      : `${what}: it does not exist or needs credentials (${lookup.origin}); run \`docker login ${this.registry}\` or set ${key} in ${lookup.configPath}`
    return new ImgtestError('IMGTEST_REGISTRY_AUTH', message)
  }

  async #body(response: Response, where: string, limit: number): Promise<Uint8Array> {
    if (!response.ok) {
      const codes = await registryErrorCodes(response)
      throw new ImgtestError(
        'IMGTEST_REGISTRY_ERROR',
        `registry ${this.registry} answered ${response.status}${codes ? ` ${codes}` : ''} for ${where}`,
      )
    }
    if (Number(response.headers.get('content-length') ?? 0) > limit) {
      await response.body?.cancel()
      throw new ImgtestError(
        'IMGTEST_REGISTRY_ERROR',
        `${where} is larger than ${limit} bytes; not an image manifest or config`,
      )
    }
    return new Uint8Array(await response.arrayBuffer())
  }
}

function digestOf(bytes: Uint8Array, algorithm: string, where: string): string {
  if (algorithm !== 'sha256' && algorithm !== 'sha512') {
    throw new ImgtestError('IMGTEST_REGISTRY_ERROR', `${where}: unsupported digest algorithm ${algorithm}`)
  }
  return `${algorithm}:${createHash(algorithm).update(bytes).digest('hex')}`
}
