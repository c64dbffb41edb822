import { createHash } from 'node:crypto'
import { cp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { ImgtestError } from '../errors.ts'
import { readOciArchive, readOciDirectory } from './oci-source.ts'
import { formatPlatform, hostPlatform } from './select-platform.ts'
import { skopeoCopy, tempDir, truncateCopy } from './testdata/archives.ts'
import { caught } from './testdata/caught.ts'
import { buildTestImage, removeTestImages, uniqueTag } from './testdata/test-image.ts'

const sha256 = (text: string) => `sha256:${createHash('sha256').update(text).digest('hex')}`

const web = uniqueTag('oci-web')
const small = uniqueTag('oci-small')
const ids: Record<string, string> = {}
let dir = ''
let removeDir = async () => {}
let layout = ''

beforeAll(async () => {
  ;({ dir, remove: removeDir } = await tempDir())
  ids[web] = await buildTestImage(web)
  ids[small] = await buildTestImage(small, 'FROM scratch\nCOPY busybox /bin/busybox\n')
  // One layout, two tagged images, as `skopeo copy` into the same directory makes it.
  layout = join(dir, 'two')
  await skopeoCopy('--format', 'v2s2', `docker-daemon:${web}`, `oci:${layout}:web`)
  await skopeoCopy('--format', 'v2s2', `docker-daemon:${small}`, `oci:${layout}:small`)
})
afterAll(async () => {
  await removeTestImages(web, small)
  await removeDir()
})

/** A copy of the two-image layout to break in one test. */
async function copyLayout(name: string): Promise<string> {
  const target = join(dir, name)
  await cp(layout, target, { recursive: true })
  return target
}

async function indexOf(path: string) {
  return JSON.parse(await readFile(join(path, 'index.json'), 'utf8')) as {
    manifests: { digest: string; size: number; annotations?: Record<string, string> }[]
  }
}

describe('oci: tags', () => {
  test('picks the image by its ref.name annotation', async () => {
    expect((await readOciDirectory(layout, `oci:${layout}:web`, { tag: 'web' })).digest).toBe(ids[web])
    expect((await readOciDirectory(layout, `oci:${layout}:small`, { tag: 'small' })).digest).toBe(ids[small])
  })

  test('several tagged images and no tag: an error listing them', async () => {
    const error = await caught(() => readOciDirectory(layout, `oci:${layout}`))
    expect(error.code).toBe('IMGTEST_BAD_ARCHIVE')
    expect(error.message).toBe(
      `${layout}: it holds 2 images (web, small); name one after the path, as in ${layout}:web`,
    )
  })

  test('a tag the layout does not have', async () => {
    const error = await caught(() => readOciDirectory(layout, `oci:${layout}:v9`, { tag: 'v9' }))
    expect(error.code).toBe('IMGTEST_IMAGE_NOT_FOUND')
    expect(error.message).toBe(`${layout} has no image tagged "v9"; it has "web", "small"`)
  })
})

describe('oci: image indexes', () => {
  const other = hostPlatform().architecture === 's390x' ? 'ppc64le' : 's390x'
  let multi = ''

  beforeAll(async () => {
    // An index of the host's image, an image for another architecture whose config is absent (reading it
    // would fail, which shows what was chosen) and a BuildKit-style attestation entry.
    multi = await copyLayout('multi')
    const index = await indexOf(multi)
    const real = index.manifests.find(
      (item) => item.annotations?.['org.opencontainers.image.ref.name'] === 'web',
    )
    const fake = JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha256('absent'), size: 6 },
      layers: [],
    })
    const list = JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: [
        {
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          digest: sha256(fake),
          size: fake.length,
          platform: { os: 'linux', architecture: other },
        },
        {
          mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
          digest: real?.digest,
          size: real?.size,
          platform: hostPlatform(),
        },
        {
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          digest: sha256(fake),
          size: fake.length,
          platform: { os: 'unknown', architecture: 'unknown' },
        },
      ],
    })
    await writeFile(join(multi, 'blobs', 'sha256', sha256(fake).slice(7)), fake)
    await writeFile(join(multi, 'blobs', 'sha256', sha256(list).slice(7)), list)
    await writeFile(
      join(multi, 'index.json'),
      JSON.stringify({
        schemaVersion: 2,
        manifests: [
          {
            mediaType: 'application/vnd.oci.image.index.v1+json',
            digest: sha256(list),
            size: list.length,
            annotations: { 'org.opencontainers.image.ref.name': 'multi' },
          },
        ],
      }),
    )
  })

  test('resolve to the host platform', async () => {
    const snapshot = await readOciDirectory(multi, `oci:${multi}`)
    expect(snapshot.digest).toBe(ids[web])
    expect(snapshot.platform).toMatchObject({ os: 'linux', architecture: hostPlatform().architecture })
  })

  test('resolve to the platform asked for', async () => {
    const error = await caught(() =>
      readOciDirectory(multi, `oci:${multi}:multi`, {
        tag: 'multi',
        platform: { os: 'linux', architecture: other },
      }),
    )
    expect(error.message).toBe(
      `${multi}: config blob ${sha256('absent')} is missing; the layout is incomplete`,
    )
  })

  test('a platform the index lacks is IMGTEST_NO_MATCHING_PLATFORM listing what it has', async () => {
    const error = await caught(() =>
      readOciDirectory(multi, `oci:${multi}`, {
        platform: { os: 'linux', architecture: 'riscv64' },
      }),
    )
    expect(error.code).toBe('IMGTEST_NO_MATCHING_PLATFORM')
    expect(error.message).toContain('has no image for linux/riscv64')
    expect(error.message).toContain(`it offers linux/${other}, ${formatPlatform(hostPlatform())};`)
    expect(error.message).not.toContain('unknown')
  })
})

describe('oci: broken layouts', () => {
  test('a layer blob missing', async () => {
    const broken = await copyLayout('no-layer')
    const snapshot = await readOciDirectory(broken, broken, { tag: 'small' })
    const layer = snapshot.layers[0]?.digest ?? ''
    await rm(join(broken, 'blobs', 'sha256', layer.slice(7)))
    const error = await caught(() => readOciDirectory(broken, broken, { tag: 'small' }))
    expect(error.code).toBe('IMGTEST_BAD_ARCHIVE')
    expect(error.message).toBe(
      `${broken}: layer blob ${layer} is missing; the layout is incomplete or truncated`,
    )
  })

  test('a config blob that does not match its digest', async () => {
    const broken = await copyLayout('corrupt')
    const config = ids[small]?.slice(7) ?? ''
    const path = join(broken, 'blobs', 'sha256', config)
    await writeFile(path, (await readFile(path, 'utf8')).replace('"linux"', '"Linux"'))
    const error = await caught(() => readOciDirectory(broken, broken, { tag: 'small' }))
    expect(error.message).toBe(
      `${broken}: config blob sha256:${config} does not match its digest; the blob is corrupt`,
    )
  })

  test('index.json that is not JSON', async () => {
    const broken = await copyLayout('bad-index')
    await writeFile(join(broken, 'index.json'), '{"manifests": [')
    const error = await caught(() => readOciDirectory(broken, broken))
    expect(error.code).toBe('IMGTEST_BAD_ARCHIVE')
    expect(error.message).toMatch(new RegExp(`^${broken}: index.json is not valid JSON`))
  })

  test('a descriptor whose digest would leave the layout', async () => {
    const broken = await copyLayout('escape')
    await writeFile(
      join(broken, 'index.json'),
      JSON.stringify({ manifests: [{ digest: 'sha256:../../x', size: 1 }] }),
    )
    const error = await caught(() => readOciDirectory(broken, broken))
    expect(error.message).toBe(`${broken}: index.json has a descriptor without a valid digest`)
  })

  test('a directory without index.json', async () => {
    const empty = join(dir, 'empty')
    await mkdir(empty)
    const error = await caught(() => readOciDirectory(empty, `oci:${empty}`))
    expect(error.code).toBe('IMGTEST_BAD_ARCHIVE')
    expect(error.message).toBe(
      `${empty}: no index.json, so it is not an OCI image layout; name an OCI layout`,
    )
  })

  test('a directory that does not exist', async () => {
    const missing = join(dir, 'missing')
    const error = await caught(() => readOciDirectory(missing, `oci:${missing}`))
    expect(error.code).toBe('IMGTEST_IMAGE_NOT_FOUND')
    expect(error.message).toBe(`OCI layout directory ${missing} does not exist; check the path`)
  })

  test('a file given as a layout directory', async () => {
    const file = join(dir, 'file.txt')
    await writeFile(file, 'x')
    const error = await caught(() => readOciDirectory(file, `oci:${file}`))
    expect(error.message).toMatch(
      /is a file, not an OCI layout directory; for a tar of a layout write oci-archive:/,
    )
  })
})

describe('oci-archive:', () => {
  let archive = ''
  beforeAll(async () => {
    archive = join(dir, 'small.tar')
    await skopeoCopy(`docker-daemon:${small}`, `oci-archive:${archive}:small`)
  })

  test('reads the tag or the only image', async () => {
    const tagged = await readOciArchive(archive, `oci-archive:${archive}:small`, { tag: 'small' })
    const only = await readOciArchive(archive, `oci-archive:${archive}`)
    expect(only).toEqual({ ...tagged, ref: `oci-archive:${archive}` })
    expect(tagged.source).toBe('oci-archive')
    expect(tagged.sizeBasis).toBe('compressed')
  })

  test('a truncated oci-archive is IMGTEST_BAD_ARCHIVE', async () => {
    const cut = join(dir, 'small-cut.tar')
    await truncateCopy(archive, cut, 0.5)
    const error = await caught(() => readOciArchive(cut, `oci-archive:${cut}`))
    expect(error.code).toBe('IMGTEST_BAD_ARCHIVE')
    expect(error.message).toMatch(new RegExp(`^archive ${cut} is truncated`))
  })

  test('a docker save archive read as oci-archive points at docker-archive:', async () => {
    const legacy = join(dir, 'legacy.tar')
    const { execa } = await import('execa')
    await execa('docker', ['save', '-o', legacy, small])
    const error = await caught(() => readOciArchive(legacy, `oci-archive:${legacy}`))
    expect(error.message).toBe(
      `${legacy}: no index.json, so it is not an OCI image layout; it has a manifest.json: read it as docker-archive:${legacy}`,
    )
  })

  test('nothing is extracted next to the archive', async () => {
    const before = await readdir(dir)
    await readOciArchive(archive, archive)
    expect(await readdir(dir)).toEqual(before)
  })
})
