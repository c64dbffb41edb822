import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { dockerConfigKey, findDockerCredentials } from './docker-credentials.ts'

const basic = (user: string, password: string) => Buffer.from(`${user}:${password}`).toString('base64')

let dir: string
const env = (): NodeJS.ProcessEnv => ({ PATH: `${join(dir, 'bin')}:${process.env.PATH ?? ''}` })

async function writeConfig(config: unknown): Promise<string> {
  const configDir = await mkdtemp(join(dir, 'config-'))
  await writeFile(join(configDir, 'config.json'), JSON.stringify(config))
  return configDir
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'imgtest-credentials-'))
  await writeConfig({})
  const bin = join(dir, 'bin')
  await mkdir(bin)
  // A credential helper as the Docker CLI runs it: `get`, the server URL on stdin, JSON on stdout.
  const helper = join(bin, 'docker-credential-imgtest-fake')
  await writeFile(
    helper,
    [
      '#!/bin/sh',
      'read url',
      'case "$url" in',
      '  reg.example) echo \'{"ServerURL":"reg.example","Username":"helper-user","Secret":"helper-pass"}\' ;;',
      '  tok.example) echo \'{"ServerURL":"tok.example","Username":"<token>","Secret":"refresh-me"}\' ;;',
      '  *) echo "credentials not found in native keychain"; exit 1 ;;',
      'esac',
      '',
    ].join('\n'),
  )
  await chmod(helper, 0o755)
})

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('dockerConfigKey', () => {
  test('files Docker Hub under the v1 index URL and other registries under their host', () => {
    expect(dockerConfigKey('docker.io')).toBe('https://index.docker.io/v1/')
    expect(dockerConfigKey('127.0.0.1:5000')).toBe('127.0.0.1:5000')
  })
})

describe('findDockerCredentials', () => {
  test('decodes auths[host].auth into user and password', async () => {
    const configDir = await writeConfig({ auths: { '127.0.0.1:5000': { auth: basic('alice', 'pa:ss') } } })
    const found = await findDockerCredentials('127.0.0.1:5000', { configDir, env: env() })
    expect(found.credentials).toEqual({ username: 'alice', password: 'pa:ss' })
    expect(found.configKey).toBe('127.0.0.1:5000')
    expect(found.origin).toBe(`auths["127.0.0.1:5000"] in ${join(configDir, 'config.json')}`)
  })

  test('matches keys written as URLs and reads Docker Hub from the v1 key', async () => {
    const configDir = await writeConfig({
      auths: {
        'https://reg.example/v2/': { auth: basic('bob', 'secret') },
        'https://index.docker.io/v1/': { identitytoken: 'hub-refresh' },
      },
    })
    expect((await findDockerCredentials('reg.example', { configDir, env: env() })).credentials).toEqual({
      username: 'bob',
      password: 'secret',
    })
    expect((await findDockerCredentials('docker.io', { configDir, env: env() })).credentials).toEqual({
      identityToken: 'hub-refresh',
    })
  })

  test('honours DOCKER_CONFIG from the environment', async () => {
    const configDir = await writeConfig({ auths: { 'reg.example': { auth: basic('carol', 'x') } } })
    const found = await findDockerCredentials('reg.example', { env: { ...env(), DOCKER_CONFIG: configDir } })
    expect(found.credentials?.username).toBe('carol')
  })

  test('asks a credHelpers helper, and reads its <token> answer as an identity token', async () => {
    const configDir = await writeConfig({
      credHelpers: { 'reg.example': 'imgtest-fake', 'tok.example': 'imgtest-fake' },
    })
    const found = await findDockerCredentials('reg.example', { configDir, env: env() })
    expect(found.credentials).toEqual({ username: 'helper-user', password: 'helper-pass' })
    expect(found.origin).toBe('docker-credential-imgtest-fake (credHelpers)')
    const token = await findDockerCredentials('tok.example', { configDir, env: env() })
    expect(token.credentials).toEqual({ identityToken: 'refresh-me' })
  })

  test('falls back to auths when the credsStore helper is missing or knows nothing', async () => {
    const configDir = await writeConfig({
      credsStore: 'imgtest-absent',
      auths: { 'reg.example': { auth: basic('dave', 'y') } },
    })
    const found = await findDockerCredentials('reg.example', { configDir, env: env() })
    expect(found.credentials).toEqual({ username: 'dave', password: 'y' })
    const none = await findDockerCredentials('other.example', { configDir, env: env() })
    expect(none.credentials).toBeUndefined()
    expect(none.origin).toContain('docker-credential-imgtest-absent (credsStore) is not on PATH')
    const configDir2 = await writeConfig({ credsStore: 'imgtest-fake' })
    const unknown = await findDockerCredentials('other.example', { configDir: configDir2, env: env() })
    expect(unknown.origin).toContain('found no credentials (exit 1)')
  })

  test('yields no credentials when the file or the entry is missing', async () => {
    const missing = await findDockerCredentials('reg.example', {
      configDir: join(dir, 'nowhere'),
      env: env(),
    })
    expect(missing.credentials).toBeUndefined()
    expect(missing.origin).toBe(`no ${join(dir, 'nowhere', 'config.json')}`)
  })

  test('rejects a config that is not JSON without quoting it', async () => {
    const configDir = await mkdtemp(join(dir, 'bad-'))
    await writeFile(join(configDir, 'config.json'), '{"auths": {"x": {"auth": "c2VjcmV0LXZhbHVl" oops')
    const error = await findDockerCredentials('x', { configDir, env: env() }).catch(
      (caught: unknown) => caught,
    )
    expect(error).toMatchObject({ code: 'IMGTEST_BAD_CONFIG' })
    expect(String((error as Error).message)).not.toContain('c2VjcmV0')
  })
})
