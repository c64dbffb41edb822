import { execa } from 'execa'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { ImgtestError } from '../errors.ts'
import { parseDockerReference } from './docker-reference.ts'
import { engineAddress, readEngineImage } from './engine-source.ts'
import { hostPlatform } from './select-platform.ts'
import { caught } from './testdata/caught.ts'
import { buildTestImage, removeTestImages, uniqueTag } from './testdata/test-image.ts'

const tag = uniqueTag('engine')
let imageId = ''

beforeAll(async () => {
  imageId = await buildTestImage(tag)
})
afterAll(async () => {
  await removeTestImages(tag)
})

async function withDockerHost<T>(value: string, run: () => Promise<T>): Promise<T> {
  const before = process.env.DOCKER_HOST
  process.env.DOCKER_HOST = value
  try {
    return await run()
  } finally {
    if (before === undefined) delete process.env.DOCKER_HOST
    else process.env.DOCKER_HOST = before
  }
}

describe('readEngineImage', () => {
  test('maps inspect and history to a snapshot', async () => {
    const snapshot = await readEngineImage(parseDockerReference(tag), tag)
    expect(snapshot.ref).toBe(tag)
    expect(snapshot.source).toBe('engine')
    expect(snapshot.digest).toBe(imageId)
    expect(snapshot.manifestDigest).toBeUndefined()
    expect(snapshot.platform).toMatchObject({ os: 'linux', architecture: hostPlatform().architecture })
    expect(snapshot.created).toMatch(/^\d{4}-\d\d-\d\dT/)
    expect(snapshot.config).toEqual({
      Entrypoint: ['/bin/busybox'],
      Cmd: ['sh'],
      Env: ['PATH=/bin', 'GREETING=hello world'],
      ExposedPorts: { '53/udp': {}, '8080/tcp': {} },
      Volumes: { '/data': {} },
      WorkingDir: '/srv',
      User: '1000:1000',
      Labels: { 'org.opencontainers.image.title': 'imgtest-test', 'dev.imgtest': '1' },
      StopSignal: 'SIGQUIT',
      Healthcheck: { Test: ['CMD', '/bin/busybox', 'true'], Interval: 5_000_000_000, Retries: 2 },
      Shell: ['/bin/busybox', 'sh', '-c'],
      OnBuild: ['RUN echo built'],
    })
  })

  test('pairs layers with sizes, and the sizes add up to the engine size', async () => {
    const snapshot = await readEngineImage(parseDockerReference(tag), tag)
    const { stdout } = await execa('docker', [
      'image',
      'inspect',
      '--format',
      '{{json .RootFS.Layers}} {{.Size}}',
      tag,
    ])
    const [layersJson, size] = stdout.split(' ')
    expect(snapshot.layers.map((layer) => layer.diffId)).toEqual(JSON.parse(layersJson ?? '[]'))
    // The busybox COPY, then the legacy builder's WORKDIR layer (a directory: 0 bytes of content).
    expect(snapshot.layers).toHaveLength(2)
    expect(snapshot.layers[0]?.size).toBeGreaterThan(1_000_000)
    expect(snapshot.layers[1]?.size).toBe(0)
    expect(snapshot.layers.every((layer) => layer.compressed === false)).toBe(true)
    expect(snapshot.size).toBe(Number(size))
    expect(snapshot.layers.reduce((sum, layer) => sum + layer.size, 0)).toBe(snapshot.size)
    expect(snapshot.sizeBasis).toBe('uncompressed')
  })

  test('history is oldest first, and the WORKDIR step is the one that made the second layer', async () => {
    const { history } = await readEngineImage(parseDockerReference(tag), tag)
    expect(history[0]?.createdBy).toContain('COPY')
    // docker build --label adds its own last step.
    expect(history.at(-1)?.createdBy).toContain('LABEL dev.imgtest=1')
    expect(history.at(-2)?.createdBy).toContain('CMD ["sh"]')
    const layerSteps = history.filter((entry) => !entry.emptyLayer).map((entry) => entry.createdBy)
    expect(layerSteps).toHaveLength(2)
    expect(layerSteps[1]).toContain('WORKDIR /srv')
  })

  test('reads an image by id', async () => {
    const snapshot = await readEngineImage(imageId, `docker-daemon:${imageId}`)
    expect(snapshot.digest).toBe(imageId)
    expect(snapshot.ref).toBe(`docker-daemon:${imageId}`)
  })

  test('a missing image is IMGTEST_IMAGE_NOT_FOUND naming the image and the engine', async () => {
    const missing = uniqueTag('missing')
    const error = await caught(() => readEngineImage(parseDockerReference(missing), missing))
    expect(error.code).toBe('IMGTEST_IMAGE_NOT_FOUND')
    expect(error.message).toBe(
      `image ${missing} not found in the local engine (${engineAddress()}); build or pull it, or name another transport`,
    )
  })

  test('a socket that does not exist is IMGTEST_DAEMON_UNREACHABLE naming the address', async () => {
    const address = 'unix:///tmp/imgtest-no-such-engine.sock'
    const error = await withDockerHost(address, () =>
      caught(() => readEngineImage(parseDockerReference(tag), tag)),
    )
    expect(error.code).toBe('IMGTEST_DAEMON_UNREACHABLE')
    expect(error.message).toBe(
      `cannot reach the Docker engine at ${address} (ENOENT); start Docker or set DOCKER_HOST to a running engine`,
    )
    expect(error.cause).toBeDefined()
  })

  test('a TCP address nobody listens on is IMGTEST_DAEMON_UNREACHABLE', async () => {
    const error = await withDockerHost('tcp://127.0.0.1:9', () =>
      caught(() => readEngineImage('busybox', 'busybox')),
    )
    expect(error.code).toBe('IMGTEST_DAEMON_UNREACHABLE')
    expect(error.message).toMatch(
      /^cannot reach the Docker engine at tcp:\/\/127\.0\.0\.1:9 \(ECONNREFUSED\); start Docker/,
    )
  })
})
