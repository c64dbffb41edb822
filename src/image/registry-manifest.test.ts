import { describe, expect, test } from 'vitest'
import { MANIFEST_ACCEPT, MediaType, parseRegistryManifest } from './registry-manifest.ts'

const digest = (c: string) => `sha256:${c.repeat(64)}`
const bytes = (value: unknown) => new TextEncoder().encode(JSON.stringify(value))
const parse = (value: unknown, contentType: string | null = null) =>
  parseRegistryManifest(bytes(value), contentType, 'reg.example/app:1')

const image = {
  schemaVersion: 2,
  mediaType: MediaType.dockerManifest,
  config: { mediaType: MediaType.dockerConfig, size: 100, digest: digest('a') },
  layers: [{ mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', size: 10, digest: digest('b') }],
}

describe('parseRegistryManifest', () => {
  test('reads a Docker v2 image manifest', () => {
    expect(parse(image)).toEqual({
      kind: 'image',
      mediaType: MediaType.dockerManifest,
      config: image.config,
      layers: image.layers,
    })
  })

  test('reads an OCI index whose media type only the Content-Type names', () => {
    const index = {
      schemaVersion: 2,
      manifests: [{ digest: digest('c'), size: 5, platform: { os: 'linux', architecture: 'amd64' } }],
    }
    const parsed = parse(index, `${MediaType.ociIndex}; charset=utf-8`)
    expect(parsed).toMatchObject({ kind: 'index', mediaType: MediaType.ociIndex })
    expect(parsed.kind === 'index' && parsed.manifests[0]?.platform?.architecture).toBe('amd64')
  })

  test('reads an OCI manifest without mediaType fields by its shape', () => {
    const { mediaType: _omit, ...bare } = image
    expect(parse(bare).kind).toBe('image')
  })

  test('rejects schema 1 with a clear message', () => {
    expect(() =>
      parse({ schemaVersion: 1, name: 'app', fsLayers: [] }, MediaType.dockerSchema1Signed),
    ).toThrow(
      'registry answered a schema 1 manifest for reg.example/app:1; schema 1 is deprecated and unsupported: push the image again with a current Docker or skopeo',
    )
  })

  test('rejects artifacts that are not container images', () => {
    const chart = {
      ...image,
      mediaType: MediaType.ociManifest,
      config: { ...image.config, mediaType: 'application/vnd.cncf.helm.config.v1+json' },
    }
    expect(() => parse(chart)).toThrow(
      'reg.example/app:1 is not a container image (config media type application/vnd.cncf.helm.config.v1+json)',
    )
  })

  test('rejects malformed bodies with IMGTEST_REGISTRY_ERROR', () => {
    expect(() => parseRegistryManifest(new TextEncoder().encode('<html>'), 'text/html', 'x')).toThrow(
      expect.objectContaining({ code: 'IMGTEST_REGISTRY_ERROR' }),
    )
    expect(() => parse({ ...image, layers: [{ size: 1, digest: 'nope' }] })).toThrow(/without a valid digest/)
    expect(() => parse({ ...image, config: { digest: digest('a') } })).toThrow(/without a valid size/)
    expect(() => parse({ schemaVersion: 2, mediaType: 'application/x-unknown' })).toThrow(
      /unsupported media type application\/x-unknown/,
    )
  })

  test('asks for every supported manifest type and no schema 1', () => {
    expect(MANIFEST_ACCEPT.split(', ').sort()).toEqual(
      [MediaType.ociIndex, MediaType.ociManifest, MediaType.dockerList, MediaType.dockerManifest].sort(),
    )
  })
})
