import { readFileSync } from 'node:fs'
import { describe, expect, test } from 'vitest'
import type { InstalledPackage, Inventory } from '../image/inventory/package.ts'
import type { SbomComponent, SbomComponents } from '../report/sbom/read-sbom.ts'
import { readSbom } from '../report/sbom/read-sbom.ts'
import { everyEcosystem, snapshotOf } from '../report/sbom/testdata/inventories.ts'
import { toCycloneDx } from '../report/sbom/to-cyclonedx.ts'
import { toSpdx } from '../report/sbom/to-spdx.ts'
import { checkSbom } from './sbom-checks.ts'

const deb = (name: string, version: string, extra: Partial<InstalledPackage> = {}): InstalledPackage => ({
  ecosystem: 'deb',
  name,
  version,
  arch: 'amd64',
  purl: `pkg:deb/debian/${name}@${encodeURIComponent(version)}?arch=${extra.arch ?? 'amd64'}&distro=debian-12`,
  foundIn: '/var/lib/dpkg/status',
  ...extra,
})

const sbomOf = (...components: Omit<SbomComponent, 'at'>[]): SbomComponents => ({
  format: 'cyclonedx',
  specVersion: '1.6',
  where: 'sbom.json',
  components: components.map((c, i) => ({ type: 'library', ...c, at: `components[${i}]` })),
})

const checks = (sbom: SbomComponents, inventory: Inventory) =>
  checkSbom(sbom, inventory).map((f) => [f.check, f.key, f.upstream, f.rebuilt])

describe('checkSbom', () => {
  test("imgtest's own SBOMs match the inventory they were written from", () => {
    const image = snapshotOf('x:1')
    expect(checkSbom(readSbom(toCycloneDx(image, everyEcosystem), 'cdx'), everyEcosystem)).toEqual([])
    expect(checkSbom(readSbom(toSpdx(image, everyEcosystem), 'spdx'), everyEcosystem)).toEqual([])
  })

  test('absent, unlisted and version findings, with keys, sides and one-line messages', () => {
    const inventory: Inventory = {
      packages: [deb('bash', '5.2.15-2'), deb('curl', '7.88.1-10'), deb('tar', '1.34')],
    }
    const sbom = sbomOf(
      { name: 'bash', version: '5.2.15-2', purl: 'pkg:deb/debian/bash@5.2.15-2?arch=amd64' },
      { name: 'openssl', version: '3.0.15-1', purl: 'pkg:deb/debian/openssl@3.0.15-1?arch=amd64' },
      { name: 'tar', version: '1.35', purl: 'pkg:deb/debian/tar@1.35?arch=amd64' },
    )
    const findings = checkSbom(sbom, inventory)
    expect(findings).toEqual([
      {
        check: 'sbom.absent',
        key: 'pkg:deb/debian/openssl@3.0.15-1?arch=amd64',
        upstream: '3.0.15-1',
        allowed: false,
        message:
          'pkg:deb/debian/openssl@3.0.15-1?arch=amd64 is listed in the SBOM (sbom.json, components[1]) but not installed in the image',
      },
      {
        check: 'sbom.version',
        key: 'pkg:deb/debian/tar@1.34?arch=amd64&distro=debian-12',
        upstream: '1.35',
        rebuilt: '1.34',
        allowed: false,
        message: 'deb package tar: the SBOM (sbom.json) lists 1.35, the image has 1.34',
      },
      {
        check: 'sbom.unlisted',
        key: 'pkg:deb/debian/curl@7.88.1-10?arch=amd64&distro=debian-12',
        rebuilt: '7.88.1-10',
        allowed: false,
        message:
          'deb package curl 7.88.1-10 is installed (/var/lib/dpkg/status) but not listed in the SBOM (sbom.json)',
      },
    ])
  })

  test('purls match whatever the qualifier order, encoding and extra qualifiers; arch must agree when both say one', () => {
    const inventory: Inventory = { packages: [deb('base-files', '12.4+deb12u15')] }
    const ok = sbomOf({
      name: 'base-files',
      purl: 'pkg:deb/debian/base-files@12.4%2Bdeb12u15?distro_name=bookworm&distro=debian-12&arch=amd64',
      version: '12.4+deb12u15',
    })
    expect(checks(ok, inventory)).toEqual([])
    const otherArch = sbomOf({
      name: 'base-files',
      purl: 'pkg:deb/debian/base-files@12.4%2Bdeb12u15?arch=arm64',
    })
    expect(checks(otherArch, inventory).map((f) => f[0])).toEqual(['sbom.absent', 'sbom.unlisted'])
    const noArch = sbomOf({ name: 'base-files', purl: 'pkg:deb/debian/base-files@12.4%2Bdeb12u15' })
    expect(checks(noArch, inventory)).toEqual([])
  })

  test('another distro namespace at the same version still matches by ecosystem and name', () => {
    const inventory: Inventory = { packages: [deb('bash', '5.2.15-2')] }
    expect(checks(sbomOf({ name: 'bash', purl: 'pkg:deb/ubuntu/bash@5.2.15-2' }), inventory)).toEqual([])
  })

  test('epochs: in the version, as a qualifier, or a zero epoch left out', () => {
    const inventory: Inventory = {
      packages: [deb('libaudit1', '1:3.0.9-1'), deb('zlib1g', '1:1.2.13.dfsg-1')],
    }
    const sbom = sbomOf(
      { name: 'libaudit1', purl: 'pkg:deb/debian/libaudit1@3.0.9-1?arch=amd64&epoch=1' },
      { name: 'zlib1g', purl: 'pkg:deb/debian/zlib1g@1:1.2.13.dfsg-1?epoch=1' },
    )
    expect(checks(sbom, inventory)).toEqual([])
    const rpm: Inventory = {
      packages: [
        {
          ecosystem: 'rpm',
          name: 'bash',
          version: '5.1.8-9.el9',
          purl: 'pkg:rpm/redhat/bash@5.1.8-9.el9',
          foundIn: 'rpmdb',
        },
      ],
    }
    expect(checks(sbomOf({ name: 'bash', purl: 'pkg:rpm/redhat/bash@0:5.1.8-9.el9' }), rpm)).toEqual([])
  })

  test('source packages listed by scanners are neither absent nor version differences', () => {
    const inventory: Inventory = {
      packages: [
        deb('e2fsprogs', '1.47.0-2+b2', { source: 'e2fsprogs (1.47.0-2)' }),
        deb('libaudit1', '1:3.0.9-1', { source: 'audit' }),
      ],
    }
    const sbom = sbomOf(
      {
        name: 'e2fsprogs',
        version: '1.47.0-2+b2',
        purl: 'pkg:deb/debian/e2fsprogs@1.47.0-2%2Bb2?arch=amd64',
      },
      { name: 'e2fsprogs', version: '1.47.0-2', purl: 'pkg:deb/debian/e2fsprogs@1.47.0-2?arch=amd64' },
      {
        name: 'libaudit1',
        version: '1:3.0.9-1',
        purl: 'pkg:deb/debian/libaudit1@1:3.0.9-1?arch=amd64&epoch=1',
      },
      { name: 'audit', version: '1:3.0.9-1', purl: 'pkg:deb/debian/audit@1:3.0.9-1?arch=all&epoch=1' },
    )
    expect(checks(sbom, inventory)).toEqual([])
    const stale = sbomOf(
      { name: 'libaudit1', purl: 'pkg:deb/debian/libaudit1@1:3.0.9-1?arch=amd64' },
      { name: 'audit', version: '1:3.0.8-1', purl: 'pkg:deb/debian/audit@1:3.0.8-1' },
    )
    expect(checks(stale, inventory)).toEqual([
      ['sbom.version', 'pkg:deb/debian/audit@1:3.0.8-1', '1:3.0.8-1', '1:3.0.9-1'],
      ['sbom.unlisted', inventory.packages[0]?.purl, undefined, '1.47.0-2+b2'],
    ])
  })

  test('a cdxgen SBOM excerpt of the Debian fixture: sources, files, keys and repositories raise nothing', () => {
    const sbom = readSbom(
      readFileSync(
        new URL('../report/sbom/testdata/cdxgen-debian-excerpt.cdx.json', import.meta.url),
        'utf8',
      ),
      'cdxgen',
    )
    const inventory: Inventory = {
      packages: [
        deb('base-files', '12.4+deb12u15'),
        deb('bash', '5.2.15-2+b13', { source: 'bash (5.2.15-2)' }),
        deb('e2fsprogs', '1.47.0-2+b2', { source: 'e2fsprogs (1.47.0-2)' }),
        deb('libaudit1', '1:3.0.9-1', { source: 'audit' }),
        deb('libgcc-s1', '12.2.0-14+deb12u1', { source: 'gcc-12' }),
        deb('gcc-12-base', '12.2.0-14+deb12u1', { source: 'gcc-12' }),
      ],
    }
    // gcc-12-base is left out of the excerpt: the one finding.
    expect(checks(sbom, inventory)).toEqual([
      ['sbom.unlisted', inventory.packages[5]?.purl, undefined, '12.2.0-14+deb12u1'],
    ])
  })

  test('language packages: PEP 503 names and PEP 440 versions, npm scopes as CycloneDX groups', () => {
    const inventory: Inventory = {
      packages: [
        {
          ecosystem: 'pypi',
          name: 'Django_Rest',
          version: '3.15',
          purl: 'pkg:pypi/django-rest@3.15',
          foundIn: 'METADATA',
        },
        {
          ecosystem: 'npm',
          name: '@types/node',
          version: '24.0.1',
          purl: 'pkg:npm/%40types/node@24.0.1',
          foundIn: 'package.json',
        },
      ],
    }
    const sbom = sbomOf(
      { name: 'django.rest', version: '3.15.0', purl: 'pkg:pypi/django.rest@3.15.0' },
      { name: 'node', group: '@types', version: '24.0.1' },
    )
    expect(checks(sbom, inventory)).toEqual([])
  })

  test('components imgtest cannot check are skipped; ones without purl match by name in any ecosystem', () => {
    const inventory: Inventory = { packages: [deb('bash', '5.2.15-2')] }
    const sbom = sbomOf(
      { name: 'bash', version: '5.2.15-2' },
      { name: '/etc/passwd', type: 'file' },
      { name: 'debian', version: '12', type: 'operating-system' },
      { name: 'zlib', version: '1.3', purl: 'pkg:generic/zlib@1.3' },
      { name: 'busybox', version: '1.36', purl: 'pkg:golang/example.com/busybox@1.36' },
      { name: 'left-pad', version: '1.3.0' },
    )
    expect(checks(sbom, inventory)).toEqual([['sbom.absent', 'left-pad@1.3.0', '1.3.0', undefined]])
  })

  test('an SBOM listing a package twice gives one finding; a copy found twice is listed by one entry', () => {
    const inventory: Inventory = {
      packages: [
        {
          ecosystem: 'npm',
          name: 'ms',
          version: '2.1.3',
          purl: 'pkg:npm/ms@2.1.3',
          foundIn: '/a/node_modules/ms/package.json',
        },
        {
          ecosystem: 'npm',
          name: 'ms',
          version: '2.1.3',
          purl: 'pkg:npm/ms@2.1.3',
          foundIn: '/b/node_modules/ms/package.json',
        },
      ],
    }
    const sbom = sbomOf(
      { name: 'ms', purl: 'pkg:npm/ms@2.1.3' },
      { name: 'gone', purl: 'pkg:npm/gone@1' },
      { name: 'gone', purl: 'pkg:npm/gone@1' },
    )
    expect(checks(sbom, inventory)).toEqual([['sbom.absent', 'pkg:npm/gone@1', '1', undefined]])
  })
})
