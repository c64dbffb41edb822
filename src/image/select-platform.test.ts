import { describe, expect, test } from 'vitest'
import type { Descriptor } from './registry-manifest.ts'
import { formatPlatform, hostPlatform, selectPlatform } from './select-platform.ts'

const entry = (platform: Descriptor['platform'], n: number): Descriptor => ({
  mediaType: 'application/vnd.oci.image.manifest.v1+json',
  digest: `sha256:${String(n).repeat(64).slice(0, 64)}`,
  size: 500,
  platform,
})

const amd64 = entry({ os: 'linux', architecture: 'amd64' }, 1)
const arm64 = entry({ os: 'linux', architecture: 'arm64', variant: 'v8' }, 2)
const armv6 = entry({ os: 'linux', architecture: 'arm', variant: 'v6' }, 3)
const armv7 = entry({ os: 'linux', architecture: 'arm', variant: 'v7' }, 4)
const windows = entry({ os: 'windows', architecture: 'amd64', 'os.version': '10.0.17763.1' }, 5)
const attestation = entry({ os: 'unknown', architecture: 'unknown' }, 6)

describe('hostPlatform', () => {
  test('maps Node architectures to OCI names', () => {
    expect(hostPlatform('x64')).toEqual({ os: 'linux', architecture: 'amd64' })
    expect(hostPlatform('arm64')).toEqual({ os: 'linux', architecture: 'arm64', variant: 'v8' })
    expect(hostPlatform('ia32')).toEqual({ os: 'linux', architecture: '386' })
    expect(hostPlatform('ppc64')).toEqual({ os: 'linux', architecture: 'ppc64le' })
    expect(hostPlatform('arm').variant).toMatch(/^v\d$/)
  })
})

describe('selectPlatform', () => {
  test('picks the entry for the wanted os and architecture', () => {
    const index = [attestation, windows, arm64, amd64]
    expect(selectPlatform(index, { os: 'linux', architecture: 'amd64' }, 'x')).toBe(amd64)
    expect(selectPlatform(index, { os: 'linux', architecture: 'arm64', variant: 'v8' }, 'x')).toBe(arm64)
  })

  test('treats arm64 without variant as v8', () => {
    const bare = entry({ os: 'linux', architecture: 'arm64' }, 7)
    expect(selectPlatform([amd64, bare], { os: 'linux', architecture: 'arm64', variant: 'v8' }, 'x')).toBe(
      bare,
    )
    expect(selectPlatform([amd64, arm64], { os: 'linux', architecture: 'arm64' }, 'x')).toBe(arm64)
  })

  test('prefers the exact arm variant, then the newest older one', () => {
    expect(selectPlatform([armv6, armv7], { os: 'linux', architecture: 'arm', variant: 'v7' }, 'x')).toBe(
      armv7,
    )
    expect(selectPlatform([armv6, amd64], { os: 'linux', architecture: 'arm', variant: 'v7' }, 'x')).toBe(
      armv6,
    )
    expect(() => selectPlatform([armv7], { os: 'linux', architecture: 'arm', variant: 'v6' }, 'x')).toThrow(
      /no image for linux\/arm\/v6/,
    )
  })

  test('fails naming the platforms offered, without attestation entries', () => {
    const error = (() => {
      try {
        selectPlatform(
          [arm64, windows, attestation],
          { os: 'linux', architecture: 'amd64' },
          'reg.example/app:1',
        )
      } catch (caught) {
        return caught
      }
    })()
    expect(error).toMatchObject({
      code: 'IMGTEST_NO_MATCHING_PLATFORM',
      message:
        'reg.example/app:1 has no image for linux/amd64; it offers linux/arm64/v8, windows/amd64; pass a platform it offers',
    })
  })
})

test('formatPlatform writes os/architecture[/variant]', () => {
  expect(formatPlatform({ os: 'linux', architecture: 'arm', variant: 'v7' })).toBe('linux/arm/v7')
  expect(formatPlatform({ os: 'linux', architecture: 'amd64' })).toBe('linux/amd64')
})
