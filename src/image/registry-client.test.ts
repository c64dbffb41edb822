import { randomBytes } from 'node:crypto'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { execa } from 'execa'
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest'
import {
  buildScratchImage,
  dockerLogin,
  type LocalRegistry,
  pushImage,
  startRegistry,
} from '../../test/setup/registry.ts'
import { registryBaseUrl } from './registry-client.ts'
import { readRegistryImage } from './registry-source.ts'

const user = 'imgtest'
const password = `pw-${randomBytes(6).toString('hex')}`
const wrongPassword = `wrong-${randomBytes(6).toString('hex')}`
const identityToken = `refresh-${randomBytes(6).toString('hex')}`
const image = `imgtest-registry-client:${randomBytes(4).toString('hex')}`
let imageId: string
let dir: string

const basicAuth = (secret: string) => Buffer.from(`${user}:${secret}`).toString('base64')
const secrets = [password, wrongPassword, identityToken, basicAuth(password), basicAuth(wrongPassword)]

async function configDir(name: string, config: unknown): Promise<string> {
  const path = join(dir, name)
  await mkdir(path, { recursive: true })
  await writeFile(join(path, 'config.json'), JSON.stringify(config))
  return path
}

function read(registry: LocalRegistry, dockerConfig: string) {
  const reference = {
    registry: registry.host,
    repository: 'private/app',
    tag: '1',
    familiar: `${registry.host}/private/app:1`,
  }
  return readRegistryImage(reference, reference.familiar, { dockerConfig })
}

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected a rejection')
    },
    (error: unknown) => error as Error & { code?: string },
  )

function expectNoSecret(error: Error): void {
  const text = `${error.message}\n${error.stack ?? ''}`
  for (const secret of secrets) expect(text).not.toContain(secret)
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'imgtest-registry-client-'))
  await buildScratchImage(image, ['CMD ["/bin/busybox", "true"]'])
  imageId = (await execa('docker', ['image', 'inspect', '--format', '{{.Id}}', image])).stdout
})

afterAll(async () => {
  await execa('docker', ['rmi', image], { reject: false })
  await rm(dir, { recursive: true, force: true })
})

describe('registryBaseUrl', () => {
  test('speaks https, except plain http to loopback hosts or when insecure', () => {
    expect(registryBaseUrl('docker.io')).toBe('https://registry-1.docker.io')
    expect(registryBaseUrl('registry.example:5000')).toBe('https://registry.example:5000')
    expect(registryBaseUrl('registry.example:5000', true)).toBe('http://registry.example:5000')
    expect(registryBaseUrl('localhost:5000')).toBe('http://localhost:5000')
    expect(registryBaseUrl('127.1.2.3:5000')).toBe('http://127.1.2.3:5000')
    expect(registryBaseUrl('[::1]:5000')).toBe('http://[::1]:5000')
    expect(registryBaseUrl('127.example')).toBe('https://127.example')
  })
})

describe.each([
  { mode: 'htpasswd (Basic)', options: { htpasswd: { user, password } } },
  { mode: 'token (Bearer)', options: { token: { user, password, identityToken } } },
])('a registry with $mode auth', ({ mode, options }) => {
  let registry: LocalRegistry
  let loggedIn: string

  beforeAll(async () => {
    registry = await startRegistry(options)
    loggedIn = join(dir, `login-${mode.split(' ')[0]}`)
    await dockerLogin(registry.host, user, password, loggedIn)
    await pushImage(registry.host, image, 'private/app:1', loggedIn)
  })

  afterAll(async () => {
    await registry?.stop()
  })

  test('reads the image with the credentials docker login stored', async () => {
    const snapshot = await read(registry, loggedIn)
    expect(snapshot.digest).toBe(imageId)
  })

  test('honours DOCKER_CONFIG when no config dir is given', async () => {
    vi.stubEnv('DOCKER_CONFIG', loggedIn)
    try {
      const reference = { registry: registry.host, repository: 'private/app', tag: '1', familiar: 'x' }
      expect((await readRegistryImage(reference, 'x')).digest).toBe(imageId)
    } finally {
      vi.unstubAllEnvs()
    }
  })

  test('wrong credentials are IMGTEST_REGISTRY_AUTH naming the config key, never the secret', async () => {
    const wrong = await configDir(`wrong-${mode.split(' ')[0]}`, {
      auths: { [registry.host]: { auth: basicAuth(wrongPassword) } },
    })
    const error = await failure(read(registry, wrong))
    expect(error.code).toBe('IMGTEST_REGISTRY_AUTH')
    expect(error.message).toContain(
      `with the credentials from auths["${registry.host}"] in ${join(wrong, 'config.json')}`,
    )
    expect(error.message).toContain(`docker login ${registry.host}`)
    expectNoSecret(error)
    expect(error.cause).toBeUndefined()
  })

  test('no credentials are IMGTEST_REGISTRY_AUTH telling which key to set', async () => {
    const empty = await configDir(`empty-${mode.split(' ')[0]}`, {})
    const error = await failure(read(registry, empty))
    expect(error.code).toBe('IMGTEST_REGISTRY_AUTH')
    expect(error.message).toBe(
      `registry ${registry.host} denied access to private/app (401${mode.startsWith('htpasswd') ? '' : ' UNAUTHORIZED: authentication required'}): it does not exist or needs credentials (no auths["${registry.host}"] in ${join(empty, 'config.json')}); run \`docker login ${registry.host}\` or set auths["${registry.host}"] in ${join(empty, 'config.json')}`,
    )
  })
})

test('a Bearer registry accepts an identitytoken exchanged at the token server', async () => {
  const registry = await startRegistry({ token: { user, password, identityToken } })
  try {
    const login = join(dir, 'login-identity')
    await dockerLogin(registry.host, user, password, login)
    await pushImage(registry.host, image, 'private/app:1', login)
    const withToken = await configDir('identity', {
      auths: { [registry.host]: { identitytoken: identityToken } },
    })
    expect((await read(registry, withToken)).digest).toBe(imageId)
    const stale = await configDir('identity-stale', {
      auths: { [registry.host]: { identitytoken: 'revoked' } },
    })
    const error = await failure(read(registry, stale))
    expect(error.code).toBe('IMGTEST_REGISTRY_AUTH')
    expect(error.message).toContain('(401 from token server http://127.0.0.1:')
    expectNoSecret(error)
  } finally {
    await registry.stop()
  }
})
