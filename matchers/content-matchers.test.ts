import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { fixtures } from '../fixtures/images.ts'
import { pair } from '../src/compare/image-pair.ts'
import { image } from '../src/image/image-handle.ts'
import { toCycloneDx } from '../src/report/sbom/to-cyclonedx.ts'
import { imgtestMatchers } from './index.ts'

expect.extend(imgtestMatchers)

const variant = (aspect: string) => `imgtest-fixture/content-${aspect}:1`
const ref = fixtures.contentRef

describe('toHaveFilesystemParity (real engine, layers streamed)', () => {
  test('passes on the same files split into other layers', async () => {
    await expect(pair({ upstream: ref, rebuilt: variant('layers-split') })).toHaveFilesystemParity()
  })

  test('fails on a removed binary and on a removed user, with the findings', async () => {
    await expect(
      expect(pair({ upstream: ref, rebuilt: variant('binary-removed') })).toHaveFilesystemParity(),
    ).rejects.toThrow(/fs\.missing\s+\/usr\/local\/bin\/app/)
    await expect(
      expect(pair({ upstream: ref, rebuilt: variant('user-removed') })).toHaveFilesystemParity(),
    ).rejects.toThrow(/users\.missing\s+app/)
  })

  test('a policy glob allows removals', async () => {
    await expect(pair({ upstream: ref, rebuilt: variant('no-shell') })).toHaveFilesystemParity({
      policy: { allow: [{ check: 'fs.missing', key: '/bin/{sh,ash}', reason: 'hardened: no shell' }] },
    })
  })
})

describe('toHavePackageParity', () => {
  test('passes on the Debian pair, fails on a downgrade', async () => {
    await expect(
      pair({ upstream: fixtures.debianUpstream, rebuilt: fixtures.debianRebuilt }),
    ).toHavePackageParity()
    await expect(
      expect(pair({ upstream: ref, rebuilt: variant('package-downgraded') })).toHavePackageParity(),
    ).rejects.toThrow(/packages\.downgraded\s+deb:libssl3/)
  })
})

describe('single-image matchers', () => {
  test('toHaveNoShell: content-ref has shells; busybox still counts once the links are gone', async () => {
    await expect(expect(image(ref)).toHaveNoShell()).rejects.toThrow(/image\.shell\s+\/bin\/sh/)
    const error = await expect(image(variant('no-shell')))
      .toHaveNoShell()
      .catch((e: Error) => e)
    expect(String(error)).toMatch(/\/bin\/busybox/)
    expect(String(error)).not.toMatch(/\/bin\/sh\b/)
  })

  test('toHaveNoPackageManager passes once dpkg, apt-get and the busybox applets are gone', async () => {
    await expect(expect(image(ref)).toHaveNoPackageManager()).rejects.toThrow(/\/usr\/bin\/apt-get/)
    await expect(image(variant('no-package-manager'))).toHaveNoPackageManager()
  })

  test('toHaveFile with mode and owner', async () => {
    await expect(image(ref)).toHaveFile('/usr/local/bin/app', { mode: '0755', owner: 'root' })
    await expect(
      expect(image(variant('binary-setuid'))).toHaveFile('/usr/local/bin/app', { mode: '0755' }),
    ).rejects.toThrow(/has mode 04755, expected 0755/)
  })

  test('a pair is a usage error for a single-image matcher', async () => {
    await expect(expect(pair({ upstream: ref, rebuilt: ref })).toHaveNoShell()).rejects.toThrow(
      /expect\(pair\.rebuilt\)/,
    )
  })
})

describe('toMatchSbom', () => {
  let dir: string
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'imgtest-sbom-'))
  })
  afterAll(() => rm(dir, { recursive: true, force: true }))

  test("an SBOM of the image itself matches; upstream's SBOM does not match a rebuild without tzdata", async () => {
    const { snapshot, inventory } = await image(ref).contents()
    const file = join(dir, 'ref.cdx.json')
    await writeFile(file, JSON.stringify(toCycloneDx(snapshot, inventory)))
    await expect(image(ref)).toMatchSbom(file)
    await expect(expect(image(variant('package-removed'))).toMatchSbom(file)).rejects.toThrow(
      /sbom\.absent\s+pkg:deb\/debian\/tzdata/,
    )
  })
})
