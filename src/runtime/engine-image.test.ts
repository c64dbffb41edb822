import { describe, expect, test } from 'vitest'
import { engineImageName } from './engine-image.ts'

describe('engineImageName', () => {
  test('bare and docker-daemon: references run as named; an image id as sha256:…', () => {
    expect(engineImageName('example/web:1')).toBe('example/web:1')
    expect(engineImageName('docker-daemon:example/web:1')).toBe('example/web:1')
    const id = `sha256:${'a'.repeat(64)}`
    expect(engineImageName(`docker-daemon:${id}`)).toBe(id)
  })

  test('archives, layouts and registries are a usage error saying how to load them', () => {
    expect(() => engineImageName('docker-archive:web.tar')).toThrow(/local engine only; docker load it/)
    expect(() => engineImageName('oci:layout:v1')).toThrow(expect.objectContaining({ code: 'IMGTEST_USAGE' }))
    expect(() => engineImageName('docker://registry.example/web:1')).toThrow(/docker pull it first/)
  })
})
