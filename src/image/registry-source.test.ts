import { createHash, randomBytes } from 'node:crypto'
import { createServer } from 'node:net'
import { execa } from 'execa'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { buildScratchImage, type LocalRegistry, pushImage, startRegistry } from '../../test/setup/registry.ts'
import type { DockerReference } from './ref.ts'
import { MediaType } from './registry-manifest.ts'
import { readRegistryImage, registrySnapshot } from './registry-source.ts'
import { formatPlatform, hostPlatform } from './select-platform.ts'
import { IMAGE_CONFIG_FIELDS, type ImageConfig, type Platform } from './snapshot.ts'

const image = `imgtest-registry-source:${randomBytes(4).toString('hex')}`
let registry: LocalRegistry
let pushed: { reference: string; digest: string }
let inspect: {
  Id: string
  Created: string
  Os: string
  Architecture: string
  Config: Record<string, unknown>
  RootFS: { Layers: string[] }
}

function ref(repository: string, tagOrDigest: string): DockerReference {
  const digest = tagOrDigest.startsWith('sha256:') ? tagOrDigest : undefined
  return {
    registry: registry.host,
    repository,
    ...(digest ? { digest } : { tag: tagOrDigest }),
    familiar: `${registry.host}/${repository}${digest ? '@' : ':'}${tagOrDigest}`,
  }
}

const read = (repository: string, tagOrDigest: string, platform?: Platform) => {
  const reference = ref(repository, tagOrDigest)
  return readRegistryImage(reference, `docker://${reference.familiar}`, platform ? { platform } : {})
}

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected a rejection')
    },
    (error: unknown) => error as Error & { code?: string },
  )

beforeAll(async () => {
  await buildScratchImage(
    image,
    [
      'COPY hello.txt /srv/hello.txt',
      'ENV PATH=/bin GREETING="hello world"',
      'EXPOSE 8080/tcp 53/udp',
      'LABEL org.opencontainers.image.title=imgtest-registry',
      'VOLUME /data',
      'WORKDIR /srv',
      'USER 1000:1000',
      'STOPSIGNAL SIGQUIT',
      'HEALTHCHECK --interval=5s --timeout=2s --retries=2 CMD ["/bin/busybox", "true"]',
      'SHELL ["/bin/busybox", "sh", "-c"]',
      'ONBUILD RUN echo built',
      'ENTRYPOINT ["/bin/busybox"]',
      'CMD ["httpd", "-f", "-p", "8080"]',
    ],
    { 'hello.txt': 'hello\n' },
  )
  registry = await startRegistry()
  pushed = await pushImage(registry.host, image, 'imgtest/web:1')
  inspect = JSON.parse((await execa('docker', ['image', 'inspect', image])).stdout)[0]
})

afterAll(async () => {
  await execa('docker', ['rmi', image], { reject: false })
  await registry?.stop()
})

describe('readRegistryImage', () => {
  test('reads back what docker pushed: id, config, layers, platform', async () => {
    const snapshot = await read('imgtest/web', '1')
    expect(snapshot.digest).toBe(inspect.Id)
    expect(snapshot.manifestDigest).toBe(pushed.digest)
    expect(snapshot.source).toBe('registry')
    expect(snapshot.ref).toBe(`docker://${registry.host}/imgtest/web:1`)
    expect(snapshot.platform).toEqual({ os: inspect.Os, architecture: inspect.Architecture })
    expect(snapshot.created).toBe(inspect.Created)

    // Docker writes null and "" for unset fields; the snapshot leaves them undefined.
    for (const field of IMAGE_CONFIG_FIELDS) {
      const value = inspect.Config[field]
      expect.soft(snapshot.config[field], field).toEqual(value === null || value === '' ? undefined : value)
    }
    expect(snapshot.config).toMatchObject({
      Env: ['PATH=/bin', 'GREETING=hello world'],
      ExposedPorts: { '8080/tcp': {}, '53/udp': {} },
      User: '1000:1000',
      StopSignal: 'SIGQUIT',
      Healthcheck: { Test: ['CMD', '/bin/busybox', 'true'], Interval: 5e9, Timeout: 2e9, Retries: 2 },
      OnBuild: ['RUN echo built'],
    })

    expect(snapshot.layers.map((layer) => layer.diffId)).toEqual(inspect.RootFS.Layers)
    for (const layer of snapshot.layers) {
      expect(layer).toMatchObject({
        mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
        compressed: true,
      })
      expect(layer.digest).toMatch(/^sha256:[0-9a-f]{64}$/)
    }
    expect(snapshot.size).toBe(snapshot.layers.reduce((sum, layer) => sum + layer.size, 0))
    expect(snapshot.size).toBeGreaterThan(0)
    expect(snapshot.sizeBasis).toBe('compressed')
    expect(snapshot.history.filter((entry) => !entry.emptyLayer)).toHaveLength(2)
    const history = (await execa('docker', ['history', '--no-trunc', '--format', '{{.CreatedBy}}', image]))
      .stdout
    expect(snapshot.history.map((entry) => entry.createdBy).reverse()).toEqual(history.split('\n'))
  })

  test('reads the same image by manifest digest', async () => {
    const snapshot = await read('imgtest/web', pushed.digest)
    expect(snapshot.digest).toBe(inspect.Id)
    expect(snapshot.manifestDigest).toBe(pushed.digest)
    // With both, the digest wins, as in Docker: the tag is only a label.
    const both = { ...ref('imgtest/web', pushed.digest), tag: 'nope' }
    expect((await readRegistryImage(both, 'x')).digest).toBe(inspect.Id)
  })

  test('a missing tag or repository is IMGTEST_IMAGE_NOT_FOUND naming the reference and registry', async () => {
    const tag = await failure(read('imgtest/web', 'nope'))
    expect(tag.code).toBe('IMGTEST_IMAGE_NOT_FOUND')
    expect(tag.message).toBe(
      `image ${registry.host}/imgtest/web:nope not found in registry ${registry.host} (MANIFEST_UNKNOWN: manifest unknown); check the repository and tag, or push the image first`,
    )
    const repository = await failure(read('imgtest/absent', '1'))
    expect(repository.code).toBe('IMGTEST_IMAGE_NOT_FOUND')
    expect(repository.message).toContain(`${registry.host}/imgtest/absent:1`)
  })

  test('a registry nobody listens on is IMGTEST_REGISTRY_UNREACHABLE naming the URL', async () => {
    const port = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const address = server.address()
        server.close(() => resolve(typeof address === 'object' && address ? address.port : 0))
      })
    })
    const reference = {
      registry: `127.0.0.1:${port}`,
      repository: 'app',
      tag: '1',
      familiar: `127.0.0.1:${port}/app:1`,
    }
    const error = await failure(readRegistryImage(reference, reference.familiar))
    expect(error.code).toBe('IMGTEST_REGISTRY_UNREACHABLE')
    expect(error.message).toBe(
      `registry unreachable at http://127.0.0.1:${port}/v2/app/manifests/1 (ECONNREFUSED); check the host and port, and that the registry is running`,
    )
  })
})

describe('manifest lists', () => {
  const host = hostPlatform()
  const foreign: Platform =
    host.architecture === 'amd64'
      ? { os: 'linux', architecture: 'arm64', variant: 'v8' }
      : { os: 'linux', architecture: 'amd64' }
  let real: { digest: string; size: number }
  let fake: { digest: string; size: number; configDigest: string }

  beforeAll(async () => {
    // A second, made-up platform image: its own config blob, sharing the real image's layers.
    const manifestUrl = `http://${registry.host}/v2/imgtest/web/manifests/${pushed.digest}`
    const realBytes = Buffer.from(
      await (await fetch(manifestUrl, { headers: { accept: MediaType.dockerManifest } })).arrayBuffer(),
    )
    real = { digest: pushed.digest, size: realBytes.length }
    const manifest = JSON.parse(realBytes.toString('utf8'))
    const config = {
      ...JSON.parse((await execa('docker', ['image', 'inspect', '--format', '{{json .}}', image])).stdout)
        .Config,
    }
    const configBlob = Buffer.from(
      JSON.stringify({
        ...foreign,
        created: inspect.Created,
        config: { ...config, Labels: { platform: formatPlatform(foreign) } },
        rootfs: { type: 'layers', diff_ids: inspect.RootFS.Layers },
        history: [],
      }),
    )
    const configDigest = await uploadBlob('imgtest/web', configBlob)
    const fakeManifest = Buffer.from(
      JSON.stringify({
        ...manifest,
        config: { ...manifest.config, digest: configDigest, size: configBlob.length },
      }),
    )
    fake = {
      digest: await putManifest('imgtest/web', 'fake', MediaType.dockerManifest, fakeManifest),
      size: fakeManifest.length,
      configDigest,
    }
  })

  const entry = (target: { digest: string; size: number }, platform: Platform, mediaType: string) => ({
    mediaType,
    digest: target.digest,
    size: target.size,
    platform,
  })

  test('a Docker manifest list resolves to the host platform, or to the platform asked for', async () => {
    const list = {
      schemaVersion: 2,
      mediaType: MediaType.dockerList,
      manifests: [
        entry(fake, foreign, MediaType.dockerManifest),
        entry(real, host, MediaType.dockerManifest),
      ],
    }
    const listDigest = await putManifest(
      'imgtest/web',
      'multi',
      MediaType.dockerList,
      Buffer.from(JSON.stringify(list)),
    )
    const snapshot = await read('imgtest/web', 'multi')
    expect(snapshot.digest).toBe(inspect.Id)
    expect(snapshot.manifestDigest).toBe(real.digest)
    const other = await read('imgtest/web', listDigest, foreign)
    expect(other.digest).toBe(fake.configDigest)
    expect(other.manifestDigest).toBe(fake.digest)
    expect(other.platform).toEqual(foreign)
    expect(other.config.Labels).toEqual({ platform: formatPlatform(foreign) })
  })

  test('an OCI index with only a foreign platform is IMGTEST_NO_MATCHING_PLATFORM listing what it offers', async () => {
    const index = {
      schemaVersion: 2,
      mediaType: MediaType.ociIndex,
      manifests: [entry(fake, foreign, MediaType.dockerManifest)],
    }
    await putManifest('imgtest/web', 'foreign', MediaType.ociIndex, Buffer.from(JSON.stringify(index)))
    const error = await failure(read('imgtest/web', 'foreign'))
    expect(error.code).toBe('IMGTEST_NO_MATCHING_PLATFORM')
    expect(error.message).toBe(
      `${registry.host}/imgtest/web:foreign has no image for ${formatPlatform(host)}; it offers ${formatPlatform(foreign)}; pass a platform it offers`,
    )
  })

  test('a single-platform image is refused only when another platform is asked for', async () => {
    const error = await failure(read('imgtest/web', '1', foreign))
    expect(error.code).toBe('IMGTEST_NO_MATCHING_PLATFORM')
    expect(error.message).toContain(`it offers linux/${inspect.Architecture}`)
  })
})

describe('registrySnapshot', () => {
  const blob = {
    digest: 'sha256:c0',
    platform: { os: 'linux', architecture: 'amd64' },
    config: { Cmd: ['sh'] },
    history: [],
    diffIds: ['sha256:d1', 'sha256:d2'],
  }
  const layer = (mediaType: string, size: number) => ({ mediaType, size, digest: `sha256:${size}` })
  const manifest = (layers: ReturnType<typeof layer>[]) =>
    ({
      kind: 'image',
      mediaType: MediaType.ociManifest,
      config: { digest: 'sha256:c0', size: 2 },
      layers,
    }) as const
  const parts = {
    input: 'docker://r/a:1',
    manifestDigest: 'sha256:m0',
    configDigest: 'sha256:c0',
    blob,
    where: 'r/a:1',
  }

  test('pairs manifest layers with diff ids and sums their sizes', () => {
    const snapshot = registrySnapshot({
      ...parts,
      manifest: manifest([
        layer('application/vnd.oci.image.layer.v1.tar+zstd', 10),
        layer(MediaType.dockerManifest, 5),
      ]),
    })
    expect(snapshot.layers).toEqual([
      {
        diffId: 'sha256:d1',
        digest: 'sha256:10',
        mediaType: 'application/vnd.oci.image.layer.v1.tar+zstd',
        size: 10,
        compressed: true,
      },
      {
        diffId: 'sha256:d2',
        digest: 'sha256:5',
        mediaType: MediaType.dockerManifest,
        size: 5,
        compressed: false,
      },
    ])
    expect(snapshot).toMatchObject({
      size: 15,
      sizeBasis: 'compressed',
      digest: 'sha256:c0',
      manifestDigest: 'sha256:m0',
    })
  })

  test('calls uncompressed tar layers uncompressed', () => {
    const tar = 'application/vnd.oci.image.layer.v1.tar'
    const snapshot = registrySnapshot({ ...parts, manifest: manifest([layer(tar, 1), layer(tar, 2)]) })
    expect(snapshot.sizeBasis).toBe('uncompressed')
  })

  test('refuses a manifest whose layers do not match the config', () => {
    expect(() =>
      registrySnapshot({ ...parts, manifest: manifest([layer(MediaType.ociManifest, 1)]) }),
    ).toThrow('r/a:1: manifest lists 1 layers but the config has 2 diff ids')
  })
})

// Monolithic blob upload (POST then PUT with the digest), as the distribution spec describes it.
async function uploadBlob(repository: string, bytes: Buffer): Promise<string> {
  const digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`
  const start = await fetch(`http://${registry.host}/v2/${repository}/blobs/uploads/`, { method: 'POST' })
  expect(start.status).toBe(202)
  const location = new URL(start.headers.get('location') ?? '', `http://${registry.host}`)
  location.searchParams.set('digest', digest)
  const put = await fetch(location, {
    method: 'PUT',
    body: bytes,
    headers: { 'content-type': 'application/octet-stream' },
  })
  expect(put.status).toBe(201)
  return digest
}

async function putManifest(
  repository: string,
  tag: string,
  mediaType: string,
  bytes: Buffer,
): Promise<string> {
  const response = await fetch(`http://${registry.host}/v2/${repository}/manifests/${tag}`, {
    method: 'PUT',
    body: bytes,
    headers: { 'content-type': mediaType },
  })
  expect(response.status, await response.clone().text()).toBe(201)
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`
}
