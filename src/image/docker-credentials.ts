import { spawn } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { ImgtestError } from '../errors.ts'

/** Secrets for one registry. Never print these: messages name only the config key and file. */
export interface DockerCredentials {
  username?: string
  password?: string
  /** An OAuth2 refresh token (`identitytoken`, or a helper's `<token>` user). */
  identityToken?: string
}

/** What Docker's config says about one registry; `origin` explains it for messages and holds no secret. */
export interface CredentialLookup {
  configPath: string
  /** The key Docker files this registry under: `https://index.docker.io/v1/` for Docker Hub, else the host. */
  configKey: string
  credentials?: DockerCredentials
  origin: string
}

interface DockerConfigFile {
  auths?: Record<string, { auth?: string; username?: string; password?: string; identitytoken?: string }>
  credHelpers?: Record<string, string>
  credsStore?: string
}

const HUB_KEY = 'https://index.docker.io/v1/'
const HUB_HOSTS = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io', 'registry.hub.docker.com'])

/**
 * The key under which `docker login` stores a registry's credentials.
 *
 * @example
 * dockerConfigKey('docker.io') // 'https://index.docker.io/v1/'
 * dockerConfigKey('127.0.0.1:5000') // '127.0.0.1:5000'
 */
export function dockerConfigKey(registry: string): string {
  return HUB_HOSTS.has(registry) ? HUB_KEY : registry
}

/**
 * Finds credentials for a registry the way the Docker CLI does: `credHelpers[key]`, then `credsStore`,
 * then `auths[key]` (`auth` or `identitytoken`) in `$DOCKER_CONFIG/config.json` (default `~/.docker`).
 * A missing file or entry yields no credentials; a helper that fails is noted in `origin` and skipped.
 *
 * @example
 * const { credentials, configKey } = await findDockerCredentials('127.0.0.1:5000')
 */
export async function findDockerCredentials(
  registry: string,
  options: { configDir?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<CredentialLookup> {
  const env = options.env ?? process.env
  const configDir = options.configDir ?? env.DOCKER_CONFIG ?? join(homedir(), '.docker')
  const configPath = join(configDir, 'config.json')
  const configKey = dockerConfigKey(registry)
  const base = { configPath, configKey }
  const config = await readDockerConfig(configPath)
  if (!config) return { ...base, origin: `no ${configPath}` }

  const helper = pickByHost(config.credHelpers ?? {}, registry) ?? config.credsStore
  let helperNote = ''
  if (helper) {
    const which =
      config.credHelpers && pickByHost(config.credHelpers, registry) ? 'credHelpers' : 'credsStore'
    const result = await runCredentialHelper(helper, configKey, env)
    if (result.credentials) {
      return { ...base, credentials: result.credentials, origin: `docker-credential-${helper} (${which})` }
    }
    helperNote = `docker-credential-${helper} (${which}) ${result.note}; `
  }

  const entry = pickByHost(config.auths ?? {}, registry)
  const credentials = entry ? credentialsOfEntry(entry) : undefined
  if (credentials) return { ...base, credentials, origin: `auths["${configKey}"] in ${configPath}` }
  return { ...base, origin: `${helperNote}no auths["${configKey}"] in ${configPath}` }
}

async function readDockerConfig(configPath: string): Promise<DockerConfigFile | undefined> {
  let text: string
  try {
    text = await readFile(configPath, 'utf8')
  } catch {
    return undefined
  }
  try {
    const parsed: unknown = JSON.parse(text)
    return parsed && typeof parsed === 'object' ? (parsed as DockerConfigFile) : {}
  } catch {
    // No `cause`: JSON.parse quotes the text around the error, which may be a secret.
    throw new ImgtestError(
      'IMGTEST_BAD_CONFIG',
      `Docker config ${configPath} is not valid JSON; fix it or point DOCKER_CONFIG at another directory`,
    )
  }
}

// Docker accepts keys written as a host, a URL, or a URL with a path (`https://host/v1/`).
function pickByHost<T>(map: Record<string, T>, registry: string): T | undefined {
  const key = dockerConfigKey(registry)
  if (map[key] !== undefined) return map[key]
  const wanted = HUB_HOSTS.has(registry) ? HUB_HOSTS : new Set([registry])
  for (const [name, value] of Object.entries(map)) {
    const host = name.replace(/^[a-z]+:\/\//i, '').split('/')[0] ?? ''
    if (wanted.has(host)) return value
  }
  return undefined
}

function credentialsOfEntry(
  entry: NonNullable<DockerConfigFile['auths']>[string],
): DockerCredentials | undefined {
  if (entry.identitytoken) return { identityToken: entry.identitytoken }
  if (entry.auth) {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8')
    const colon = decoded.indexOf(':')
    if (colon > 0) return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) }
  }
  if (entry.username && entry.password !== undefined)
    return { username: entry.username, password: entry.password }
  return undefined
}

/** Runs `docker-credential-<name> get` with the server URL on stdin, as the Docker CLI does. */
async function runCredentialHelper(
  name: string,
  serverUrl: string,
  env: NodeJS.ProcessEnv,
): Promise<{ credentials?: DockerCredentials; note: string }> {
  const program = `docker-credential-${name}`
  const outcome = await new Promise<{ code: number | null; stdout: string; missing: boolean }>((resolve) => {
    const child = spawn(program, ['get'], { env, stdio: ['pipe', 'pipe', 'ignore'] })
    let stdout = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk
    })
    child.on('error', (error: NodeJS.ErrnoException) =>
      resolve({ code: null, stdout: '', missing: error.code === 'ENOENT' }),
    )
    child.on('close', (code) => resolve({ code, stdout, missing: false }))
    child.stdin.on('error', () => {})
    child.stdin.end(serverUrl)
  })
  if (outcome.missing) return { note: 'is not on PATH' }
  // The helper's output may hold the secret: only its exit status goes into notes.
  if (outcome.code !== 0) return { note: `found no credentials (exit ${outcome.code})` }
  try {
    const answer = JSON.parse(outcome.stdout) as { Username?: string; Secret?: string }
    if (!answer.Secret) return { note: 'returned no secret' }
    if (answer.Username === '<token>') return { credentials: { identityToken: answer.Secret }, note: '' }
    return { credentials: { username: answer.Username ?? '', password: answer.Secret }, note: '' }
  } catch {
    return { note: 'printed something that is not JSON' }
  }
}
