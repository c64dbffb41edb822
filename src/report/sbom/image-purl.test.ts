import { describe, expect, test } from 'vitest'
import { imagePurl } from './image-purl.ts'
import { snapshotOf } from './testdata/inventories.ts'

const id = 'sha256:4d6f4ca3cb6e275ad41f92c479f60d1e37870d0b27ad8236a9e47a7a41681736'
const manifest = 'sha256:1111111111111111111111111111111111111111111111111111111111111111'

describe('imagePurl', () => {
  test('a local name:tag names no registry, so no repository_url', () => {
    expect(imagePurl(snapshotOf('imgtest-fixture/debian-upstream:12'))).toBe(
      `pkg:oci/debian-upstream@${id}?arch=amd64&tag=12`,
    )
  })

  test('a registry image: repository_url and the manifest digest as version', () => {
    const purl = imagePurl(
      snapshotOf('docker://127.0.0.1:5000/team/app:1.2', { source: 'registry', manifestDigest: manifest }),
    )
    expect(purl).toBe(
      `pkg:oci/app@${manifest}?arch=amd64&repository_url=127.0.0.1%3A5000%2Fteam%2Fapp&tag=1.2`,
    )
  })

  test('Docker Hub counts as named only when written out', () => {
    expect(imagePurl(snapshotOf('docker.io/library/debian:12'))).toContain(
      'repository_url=docker.io%2Flibrary%2Fdebian',
    )
    expect(imagePurl(snapshotOf('debian:12'))).not.toContain('repository_url')
  })

  test('archives and OCI layouts without a name take the file name', () => {
    expect(imagePurl(snapshotOf('docker-archive:/tmp/My Web.tar'))).toBe(`pkg:oci/my-web@${id}?arch=amd64`)
    expect(imagePurl(snapshotOf('oci:layouts/web:v1'))).toBe(`pkg:oci/web@${id}?arch=amd64&tag=v1`)
    expect(imagePurl(snapshotOf('docker-archive:out/web.tar:example/web:1'))).toBe(
      `pkg:oci/web@${id}?arch=amd64&tag=1`,
    )
  })
})
