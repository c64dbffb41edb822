import { describe, expect, test } from 'vitest'
import { ImgtestError } from '../errors.ts'
import { parseImageConfig, sha256Digest, toImageConfig } from './image-config.ts'

// The config blob Docker 20.10 wrote for a small legacy build (trimmed of container_config).
const BLOB = JSON.stringify({
  architecture: 'amd64',
  config: {
    Hostname: '',
    User: '1000:1000',
    ExposedPorts: { '53/udp': {}, '8080/tcp': {} },
    Tty: false,
    Env: ['PATH=/bin', 'A=1'],
    Cmd: ['sh'],
    Healthcheck: { Test: ['CMD', '/bin/busybox', 'true'], Interval: 5000000000 },
    Image: 'sha256:791e',
    Volumes: { '/data': {} },
    WorkingDir: '/work',
    Entrypoint: ['/bin/busybox'],
    OnBuild: null,
    Labels: { 'org.x': 'y' },
    StopSignal: 'SIGTERM',
  },
  created: '2026-12-04T16:00:57.913455298Z',
  docker_version: '20.10.24+dfsg1',
  history: [
    {
      created: '2026-12-04T15:57:32.73534063Z',
      created_by: '/bin/sh -c #(nop) COPY file:73e2 in /bin/busybox ',
    },
    {
      created: '2026-12-04T16:00:57.252074631Z',
      created_by: '/bin/sh -c #(nop)  ENV A=1',
      empty_layer: true,
    },
    { created_by: 'WORKDIR /work', comment: 'buildkit.dockerfile.v0' },
  ],
  os: 'linux',
  rootfs: { type: 'layers', diff_ids: ['sha256:71cc', 'sha256:e79f'] },
})

describe('toImageConfig', () => {
  test('keeps the interface fields and drops the rest', () => {
    expect(toImageConfig(JSON.parse(BLOB).config)).toEqual({
      User: '1000:1000',
      ExposedPorts: { '53/udp': {}, '8080/tcp': {} },
      Env: ['PATH=/bin', 'A=1'],
      Cmd: ['sh'],
      Healthcheck: { Test: ['CMD', '/bin/busybox', 'true'], Interval: 5000000000 },
      Volumes: { '/data': {} },
      WorkingDir: '/work',
      Entrypoint: ['/bin/busybox'],
      Labels: { 'org.x': 'y' },
      StopSignal: 'SIGTERM',
    })
  })

  test('null, empty strings and zero durations are absent, not defaulted', () => {
    const config = toImageConfig({
      Entrypoint: null,
      Cmd: null,
      Env: null,
      WorkingDir: '',
      User: '',
      Labels: null,
      StopSignal: '',
      Healthcheck: { Test: ['NONE'], Interval: 0, Retries: 0 },
      Shell: ['/bin/ash', '-c'],
    })
    expect(config).toEqual({ Healthcheck: { Test: ['NONE'] }, Shell: ['/bin/ash', '-c'] })
    expect(Object.keys(config)).toEqual(['Healthcheck', 'Shell'])
  })

  test('empty lists and maps are kept: they are set, not absent', () => {
    expect(toImageConfig({ Cmd: [], Labels: {}, ExposedPorts: {} })).toEqual({
      Cmd: [],
      Labels: {},
      ExposedPorts: {},
    })
  })

  test('anything but an object is an empty config', () => {
    expect(toImageConfig(null)).toEqual({})
    expect(toImageConfig([])).toEqual({})
  })
})

describe('parseImageConfig', () => {
  test('maps digest, platform, created, history and diff ids', () => {
    const bytes = Buffer.from(BLOB)
    const parsed = parseImageConfig(bytes, 'config in x.tar', 'IMGTEST_BAD_ARCHIVE')
    expect(parsed.digest).toBe(sha256Digest(bytes))
    expect(parsed.digest).toMatch(/^sha256:[a-f0-9]{64}$/)
    expect(parsed.platform).toEqual({ os: 'linux', architecture: 'amd64' })
    expect(parsed.created).toBe('2026-12-04T16:00:57.913455298Z')
    expect(parsed.diffIds).toEqual(['sha256:71cc', 'sha256:e79f'])
    expect(parsed.history).toEqual([
      {
        created: '2026-12-04T15:57:32.73534063Z',
        createdBy: '/bin/sh -c #(nop) COPY file:73e2 in /bin/busybox ',
        emptyLayer: false,
      },
      {
        created: '2026-12-04T16:00:57.252074631Z',
        createdBy: '/bin/sh -c #(nop)  ENV A=1',
        emptyLayer: true,
      },
      { createdBy: 'WORKDIR /work', comment: 'buildkit.dockerfile.v0', emptyLayer: false },
    ])
  })

  test('keeps the variant', () => {
    const blob = Buffer.from(
      JSON.stringify({ os: 'linux', architecture: 'arm64', variant: 'v8', rootfs: { diff_ids: [] } }),
    )
    expect(parseImageConfig(blob, 'x', 'IMGTEST_BAD_ARCHIVE').platform).toEqual({
      os: 'linux',
      architecture: 'arm64',
      variant: 'v8',
    })
  })

  test.each([
    ['{"os":', /config in x.tar is not valid JSON/],
    ['[1]', /config in x.tar is not a JSON object/],
    ['{"os":"linux"}', /config in x.tar has no rootfs.diff_ids list/],
  ])('rejects %j', (text, message) => {
    const read = () => parseImageConfig(Buffer.from(text), 'config in x.tar', 'IMGTEST_BAD_ARCHIVE')
    expect(read).toThrow(message)
    expect(read).toThrow(ImgtestError)
    try {
      read()
    } catch (error) {
      expect((error as ImgtestError).code).toBe('IMGTEST_BAD_ARCHIVE')
    }
  })
})
