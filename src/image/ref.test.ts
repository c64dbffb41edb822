import { describe, expect, test } from 'vitest'
import { ImgtestError } from '../errors.ts'
import { formatDockerReference, parseDockerReference, sameDockerReference } from './docker-reference.ts'
import { parseImageRef } from './ref.ts'

const D64 = 'a'.repeat(64)

describe('parseDockerReference', () => {
  test.each([
    ['busybox', 'docker.io', 'library/busybox', 'latest', undefined, 'busybox:latest'],
    ['busybox:1.36', 'docker.io', 'library/busybox', '1.36', undefined, 'busybox:1.36'],
    ['library/busybox', 'docker.io', 'library/busybox', 'latest', undefined, 'busybox:latest'],
    ['docker.io/library/busybox:1', 'docker.io', 'library/busybox', '1', undefined, 'busybox:1'],
    [
      'index.docker.io/library/busybox',
      'docker.io',
      'library/busybox',
      'latest',
      undefined,
      'busybox:latest',
    ],
    ['bitnami/redis:7', 'docker.io', 'bitnami/redis', '7', undefined, 'bitnami/redis:7'],
    ['docker.io/a/b/c', 'docker.io', 'a/b/c', 'latest', undefined, 'a/b/c:latest'],
    ['localhost/app', 'localhost', 'app', 'latest', undefined, 'localhost/app:latest'],
    ['localhost:5000/app:1', 'localhost:5000', 'app', '1', undefined, 'localhost:5000/app:1'],
    [
      'registry.example/team/app:1.2',
      'registry.example',
      'team/app',
      '1.2',
      undefined,
      'registry.example/team/app:1.2',
    ],
    ['127.0.0.1:5000/x', '127.0.0.1:5000', 'x', 'latest', undefined, '127.0.0.1:5000/x:latest'],
    ['ghcr.io/o/r/deep/path:v', 'ghcr.io', 'o/r/deep/path', 'v', undefined, 'ghcr.io/o/r/deep/path:v'],
    ['Registry.Example/app', 'Registry.Example', 'app', 'latest', undefined, 'Registry.Example/app:latest'],
    [
      'a.b-c.d/e_f.g--h__i:T_a.g-1',
      'a.b-c.d',
      'e_f.g--h__i',
      'T_a.g-1',
      undefined,
      'a.b-c.d/e_f.g--h__i:T_a.g-1',
    ],
    ['a_b/c', 'docker.io', 'a_b/c', 'latest', undefined, 'a_b/c:latest'],
    ['my-app', 'docker.io', 'library/my-app', 'latest', undefined, 'my-app:latest'],
    ['localhost', 'docker.io', 'library/localhost', 'latest', undefined, 'localhost:latest'],
    ['localhost:5000', 'docker.io', 'library/localhost', '5000', undefined, 'localhost:5000'],
    [
      `busybox@sha256:${D64}`,
      'docker.io',
      'library/busybox',
      undefined,
      `sha256:${D64}`,
      `busybox@sha256:${D64}`,
    ],
    [
      `busybox:1@sha256:${D64}`,
      'docker.io',
      'library/busybox',
      '1',
      `sha256:${D64}`,
      `busybox:1@sha256:${D64}`,
    ],
    [
      `localhost:5000/a/b@sha512:${'b'.repeat(128)}`,
      'localhost:5000',
      'a/b',
      undefined,
      `sha512:${'b'.repeat(128)}`,
      `localhost:5000/a/b@sha512:${'b'.repeat(128)}`,
    ],
  ])('%s', (input, registry, repository, tag, digest, familiar) => {
    const ref = parseDockerReference(input)
    expect(ref).toEqual({ registry, repository, tag, digest, familiar })
    expect('tag' in ref).toBe(tag !== undefined)
    expect('digest' in ref).toBe(digest !== undefined)
  })

  test.each([
    ['', /the name is empty/],
    ['Busybox', /repository name must be lowercase; write "busybox"/],
    ['docker.io/Library/busybox', /must be lowercase/],
    ['Team/App:V1', /must be lowercase; write "team\/app:V1"/],
    ['busybox:', /tag "" is invalid/],
    ['busybox:-x', /tag "-x" is invalid/],
    [`busybox:${'t'.repeat(129)}`, /tag ".*" is invalid/],
    ['busybox@sha256:abc', /digest "sha256:abc" is malformed/],
    [`busybox@sha256:${'A'.repeat(64)}`, /is malformed/],
    [`busybox@md5:${D64}`, /no supported algorithm/],
    [`busybox@${D64}`, /no supported algorithm/],
    ['a//b', /path component "" is invalid/],
    ['foo_/bar', /path component "foo_" is invalid/],
    ['x/-y', /path component "-y" is invalid/],
    ['a..b/c:d', /registry host "a..b" is not a valid/],
    ['host:port/x', /registry host "host:port"/],
    ['localhost:5000/', /repository name is empty/],
    [':tag', /repository name is empty/],
    ['bad name', /whitespace/],
    [D64, /image id, not a name; write docker-daemon:sha256:a{64}/],
    [`r.io/${'x'.repeat(260)}`, /longer than 255/],
  ])('rejects %j', (input, message) => {
    let thrown: unknown
    try {
      parseDockerReference(input)
    } catch (error) {
      thrown = error
    }
    expect(thrown).toBeInstanceOf(ImgtestError)
    expect((thrown as ImgtestError).code).toBe('IMGTEST_BAD_REFERENCE')
    expect((thrown as ImgtestError).message).toMatch(message)
    expect((thrown as ImgtestError).message).not.toContain('\n')
  })

  test('formatDockerReference writes the full and familiar forms', () => {
    const ref = parseDockerReference(`team/app:2@sha256:${D64}`)
    expect(formatDockerReference(ref)).toBe(`docker.io/team/app:2@sha256:${D64}`)
    expect(formatDockerReference(ref, { familiar: true })).toBe(`team/app:2@sha256:${D64}`)
    expect(formatDockerReference(parseDockerReference('busybox'))).toBe('docker.io/library/busybox:latest')
  })

  test('sameDockerReference compares normalised names', () => {
    const same = (a: string, b: string) =>
      sameDockerReference(parseDockerReference(a), parseDockerReference(b))
    expect(same('busybox', 'docker.io/library/busybox:latest')).toBe(true)
    expect(same('busybox:1', 'busybox:2')).toBe(false)
    expect(same('localhost:5000/app', 'localhost/app')).toBe(false)
    expect(same(`a@sha256:${D64}`, `a:1@sha256:${D64}`)).toBe(true)
  })
})

describe('parseImageRef', () => {
  test.each([
    ['python:3.12', 'auto', 'docker.io', 'library/python', '3.12'],
    ['docker-daemon:example/web:1', 'docker-daemon', 'docker.io', 'example/web', '1'],
    ['docker-daemon:busybox', 'docker-daemon', 'docker.io', 'library/busybox', 'latest'],
    ['docker://localhost:5000/app:1', 'docker', 'localhost:5000', 'app', '1'],
    ['docker://busybox', 'docker', 'docker.io', 'library/busybox', 'latest'],
  ])('%s', (input, transport, registry, repository, tag) => {
    const ref = parseImageRef(input)
    expect(ref.transport).toBe(transport)
    expect(ref.input).toBe(input)
    expect('reference' in ref && ref.reference).toMatchObject({ registry, repository, tag })
  })

  test('docker-daemon takes an image id', () => {
    expect(parseImageRef(`docker-daemon:sha256:${D64}`)).toEqual({
      transport: 'docker-daemon',
      input: `docker-daemon:sha256:${D64}`,
      imageId: `sha256:${D64}`,
    })
  })

  test.each([
    ['docker-archive:web.tar', { path: 'web.tar' }],
    ['docker-archive:/tmp/out/web.tar', { path: '/tmp/out/web.tar' }],
    ['docker-archive:web.tar:', { path: 'web.tar' }],
    ['docker-archive:web.tar:@2', { path: 'web.tar', sourceIndex: 2 }],
  ])('%s', (input, expected) => {
    expect(parseImageRef(input)).toEqual({ transport: 'docker-archive', input, ...expected })
  })

  test('docker-archive keeps the image reference after the path', () => {
    const ref = parseImageRef('docker-archive:out/web.tar:example/web:1')
    expect(ref).toMatchObject({ transport: 'docker-archive', path: 'out/web.tar' })
    expect(ref.transport === 'docker-archive' && ref.reference).toMatchObject({
      registry: 'docker.io',
      repository: 'example/web',
      tag: '1',
      familiar: 'example/web:1',
    })
  })

  test.each([
    ['oci-archive:img.tar', 'oci-archive', 'img.tar', undefined],
    ['oci-archive:img.tar:v1', 'oci-archive', 'img.tar', 'v1'],
    ['oci:layout', 'oci', 'layout', undefined],
    ['oci:/abs/layout:1.0', 'oci', '/abs/layout', '1.0'],
    ['oci:layout:docker.io/library/x:1', 'oci', 'layout', 'docker.io/library/x:1'],
  ])('%s', (input, transport, path, tag) => {
    const expected = tag === undefined ? { transport, input, path } : { transport, input, path, tag }
    expect(parseImageRef(input)).toEqual(expected)
  })

  test.each([
    ['', /it is empty/],
    ['   ', /it is empty/],
    ['docker://', /the name is empty/],
    ['docker://Bad', /must be lowercase/],
    ['docker-daemon:', /the name is empty/],
    ['docker-daemon:sha256:abc', /an image id is sha256: and 64/],
    ['a_b:5000/c', /registry host "a_b:5000"/],
    ['docker-archive:', /docker-archive: needs a path/],
    ['docker-archive::busybox', /needs a path/],
    ['docker-archive:x.tar:@x', /"@x" is not an image index/],
    ['docker-archive:x.tar:Bad:1', /must be lowercase/],
    ['oci:', /oci: needs a path/],
    ['oci-archive:x.tar:bad tag', /not a valid OCI reference name/],
    ['oci:dir:-v1', /not a valid OCI reference name/],
    ['containers-storage:busybox', /the containers-storage: transport is not supported/],
    ['dir:/tmp/x', /the dir: transport is not supported/],
    ['Python:3', /must be lowercase/],
  ])('rejects %j', (input, message) => {
    expect(() => parseImageRef(input)).toThrow(message)
    try {
      parseImageRef(input)
    } catch (error) {
      expect((error as ImgtestError).code).toBe('IMGTEST_BAD_REFERENCE')
      expect((error as Error).message).toContain(`"${input}"`)
    }
  })
})
