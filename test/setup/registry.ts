import { type ChildProcess, spawn } from 'node:child_process'
import { randomBytes, X509Certificate } from 'node:crypto'
import { access, copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { execa } from 'execa'
import { startTokenServer, type TokenServer } from './token-server.ts'

export interface RegistryOptions {
  /** Basic auth from a generated htpasswd file. */
  htpasswd?: { user: string; password: string }
  /** Bearer auth through a token server on 127.0.0.1 (the registry trusts its certificate). */
  token?: { user: string; password: string; identityToken?: string }
  /** Preferred port; another free one is used when it is taken. Default 5000. */
  port?: number
}

export interface LocalRegistry {
  /** `127.0.0.1:<port>`, the registry part of references. */
  host: string
  /** The token server's realm in token mode. */
  realm?: string
  stop(): Promise<void>
}

const BINARY = process.env.IMGTEST_REGISTRY_BIN ?? '/usr/bin/docker-registry'

/**
 * Starts Debian's `docker-registry` on 127.0.0.1 with its own config and storage in a temp dir, and
 * waits until `GET /v2/` answers. `stop()` ends exactly that process (and token server) and removes the dir.
 *
 * @example
 * const registry = await startRegistry({ htpasswd: { user: 'u', password: 'p' } })
 * try { … } finally { await registry.stop() }
 */
export async function startRegistry(options: RegistryOptions = {}): Promise<LocalRegistry> {
  await access(BINARY).catch((error: unknown) => {
    throw new Error(`${BINARY} not found; install it with: apt-get install -y docker-registry`, {
      cause: error,
    })
  })
  const dir = await mkdtemp(join(tmpdir(), 'imgtest-registry-'))
  let tokenServer: TokenServer | undefined
  let child: ChildProcess | undefined
  try {
    const auth: string[] = []
    if (options.htpasswd) {
      await writeFile(
        join(dir, 'htpasswd'),
        await htpasswdLine(options.htpasswd.user, options.htpasswd.password),
      )
      auth.push('auth:', '  htpasswd:', '    realm: imgtest', `    path: ${join(dir, 'htpasswd')}`)
    } else if (options.token) {
      const keyPath = join(dir, 'token.key')
      const certPath = join(dir, 'token.crt')
      await execa(
        'openssl',
        ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=imgtest-token'].concat([
          '-keyout',
          keyPath,
          '-out',
          certPath,
        ]),
      )
      const certPem = await readFile(certPath, 'utf8')
      tokenServer = await startTokenServer({
        ...options.token,
        keyPem: await readFile(keyPath, 'utf8'),
        certDer: new X509Certificate(certPem).raw,
        issuer: 'imgtest-token',
      })
      auth.push('auth:', '  token:', `    realm: ${tokenServer.realm}`, '    service: imgtest-registry')
      auth.push('    issuer: imgtest-token', `    rootcertbundle: ${certPath}`)
    }

    let port = await freePort(options.port ?? 5000)
    for (let attempt = 0; ; attempt++) {
      const config = join(dir, 'config.yml')
      await writeFile(config, registryConfig(dir, port, auth))
      child = spawn(BINARY, ['serve', config], { stdio: ['ignore', 'pipe', 'pipe'] })
      const started = await waitForListening(child, port)
      if (started === 'listening') break
      // Another process took the port between our check and the registry's bind: try another.
      if (started === 'port-taken' && attempt < 5) {
        port = await freePort(0)
        continue
      }
      throw new Error(`docker-registry did not start on 127.0.0.1:${port}: ${started}`)
    }
    await waitForApi(port)
    const running = child
    const server = tokenServer
    return {
      host: `127.0.0.1:${port}`,
      ...(server ? { realm: server.realm } : {}),
      async stop() {
        await stopProcess(running)
        await server?.close()
        await rm(dir, { recursive: true, force: true })
      },
    }
  } catch (error) {
    if (child) await stopProcess(child)
    await tokenServer?.close()
    await rm(dir, { recursive: true, force: true })
    throw error
  }
}

function registryConfig(dir: string, port: number, auth: string[]): string {
  return [
    'version: 0.1',
    'log:',
    '  level: info',
    '  accesslog:',
    '    disabled: true',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${join(dir, 'data')}`,
    '  delete:',
    '    enabled: true',
    'http:',
    `  addr: 127.0.0.1:${port}`,
    `  secret: ${randomBytes(16).toString('hex')}`,
    ...auth,
    '',
  ].join('\n')
}

// A bcrypt htpasswd line: apache2-utils' htpasswd, else Python's crypt (libxcrypt does bcrypt).
async function htpasswdLine(user: string, password: string): Promise<string> {
  const htpasswd = await execa('htpasswd', ['-niB', user], { input: password, reject: false })
  if (htpasswd.exitCode === 0) return `${htpasswd.stdout.trim()}\n`
  const python = await execa(
    'python3',
    ['-c', 'import crypt,sys; print(crypt.crypt(sys.stdin.read(), crypt.mksalt(crypt.METHOD_BLOWFISH)))'],
    { input: password, reject: false },
  )
  if (python.exitCode === 0 && python.stdout.startsWith('$2')) return `${user}:${python.stdout.trim()}\n`
  throw new Error(
    'cannot make a bcrypt htpasswd file: install apache2-utils (apt-get install -y apache2-utils)',
  )
}

async function freePort(preferred: number): Promise<number> {
  const tryPort = (port: number) =>
    new Promise<number | undefined>((resolve) => {
      const server = createServer()
      server.once('error', () => resolve(undefined))
      server.listen(port, '127.0.0.1', () => {
        const address = server.address()
        server.close(() => resolve(typeof address === 'object' && address ? address.port : undefined))
      })
    })
  return (await tryPort(preferred)) ?? (await tryPort(0)) ?? 0
}

// Reads the registry's log until it says it listens, or it exits (then says why).
function waitForListening(child: ChildProcess, port: number): Promise<'listening' | 'port-taken' | string> {
  return new Promise((resolve) => {
    let log = ''
    const onData = (chunk: Buffer) => {
      log = (log + chunk.toString('utf8')).slice(-4000)
      if (log.includes(`listening on 127.0.0.1:${port}`)) resolve('listening')
    }
    child.stdout?.on('data', onData)
    child.stderr?.on('data', onData)
    child.once('exit', (code) =>
      resolve(/address already in use/.test(log) ? 'port-taken' : `exit ${code}: ${log.trim()}`),
    )
    child.once('error', (error) => resolve(error.message))
  })
}

async function waitForApi(port: number): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const status = await fetch(`http://127.0.0.1:${port}/v2/`).then(
      (response) => response.status,
      () => 0,
    )
    if (status === 200 || status === 401) return
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error(`docker-registry on 127.0.0.1:${port} never answered GET /v2/`)
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
  await exited
  clearTimeout(timer)
}

/**
 * Tags a local engine image into the registry, pushes it, and removes the extra tag again.
 * `dockerConfig` is a Docker config dir holding the login, for registries with auth.
 * Returns the pushed reference and the manifest digest `docker push` reported.
 *
 * @example
 * const { reference } = await pushImage(registry.host, 'imgtest-fixture:abc', 'fixtures/web:1')
 */
export async function pushImage(
  host: string,
  image: string,
  repositoryTag: string,
  dockerConfig?: string,
): Promise<{ reference: string; digest: string }> {
  const reference = `${host}/${repositoryTag}`
  const config = dockerConfig ? ['--config', dockerConfig] : []
  await execa('docker', ['tag', image, reference])
  try {
    const { stdout } = await execa('docker', [...config, 'push', reference])
    const digest = /digest: (sha256:[0-9a-f]{64})/.exec(stdout)?.[1]
    if (!digest) throw new Error(`docker push ${reference} printed no digest:\n${stdout}`)
    return { reference, digest }
  } finally {
    await execa('docker', ['rmi', reference], { reject: false })
  }
}

/**
 * Builds a small image `FROM scratch` with Debian's static busybox at /bin/busybox, then the given
 * Dockerfile lines. Remove it with `docker rmi` when done.
 *
 * @example
 * await buildScratchImage('imgtest-test:1', ['ENV A=1', 'CMD ["/bin/busybox", "true"]'])
 */
export async function buildScratchImage(
  tag: string,
  lines: string[],
  files: Record<string, string> = {},
): Promise<string> {
  const context = await mkdtemp(join(tmpdir(), 'imgtest-build-'))
  try {
    await copyFile('/bin/busybox', join(context, 'busybox'))
    for (const [name, content] of Object.entries(files)) await writeFile(join(context, name), content)
    await writeFile(
      join(context, 'Dockerfile'),
      ['FROM scratch', 'COPY busybox /bin/busybox', ...lines, ''].join('\n'),
    )
    await execa('docker', ['build', '--quiet', '--label', 'dev.imgtest=1', '--tag', tag, context])
    return tag
  } finally {
    await rm(context, { recursive: true, force: true })
  }
}

/** Logs Docker in to a registry with a config dir of its own (never the user's ~/.docker). */
export async function dockerLogin(
  host: string,
  user: string,
  password: string,
  dockerConfig: string,
): Promise<void> {
  await execa('docker', ['--config', dockerConfig, 'login', '--username', user, '--password-stdin', host], {
    input: password,
  })
}
