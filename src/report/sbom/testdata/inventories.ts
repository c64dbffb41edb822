import type { Inventory } from '../../../image/inventory/package.ts'
import type { ImageSnapshot } from '../../../image/snapshot.ts'

/** A snapshot as the engine source would give it, for SBOM tests that need no daemon. */
export function snapshotOf(ref: string, overrides: Partial<ImageSnapshot> = {}): ImageSnapshot {
  return {
    ref,
    source: 'engine',
    digest: 'sha256:4d6f4ca3cb6e275ad41f92c479f60d1e37870d0b27ad8236a9e47a7a41681736',
    platform: { os: 'linux', architecture: 'amd64' },
    config: {},
    layers: [],
    history: [],
    size: 1000,
    sizeBasis: 'uncompressed',
    ...overrides,
  }
}

/** One package of every ecosystem imgtest reads, with the license spellings SBOMs must handle. */
export const everyEcosystem: Inventory = {
  os: { id: 'debian', versionId: '12', prettyName: 'Debian GNU/Linux 12 (bookworm)' },
  packages: [
    {
      ecosystem: 'deb',
      name: 'bash',
      version: '5.2.15-2+b7',
      arch: 'amd64',
      source: 'bash (5.2.15-2)',
      license: 'GPL-3.0-or-later',
      purl: 'pkg:deb/debian/bash@5.2.15-2%2Bb7?arch=amd64&distro=debian-12',
      foundIn: '/var/lib/dpkg/status',
    },
    {
      ecosystem: 'deb',
      name: 'libaudit1',
      version: '1:3.0.9-1',
      arch: 'amd64',
      source: 'audit',
      // A Debian copyright spelling: not SPDX, so a named license.
      license: 'GPL-2+',
      purl: 'pkg:deb/debian/libaudit1@1:3.0.9-1?arch=amd64&distro=debian-12',
      foundIn: '/var/lib/dpkg/status',
    },
    {
      ecosystem: 'apk',
      name: 'musl',
      version: '1.2.5-r0',
      arch: 'x86_64',
      source: 'musl',
      license: 'mit',
      purl: 'pkg:apk/alpine/musl@1.2.5-r0?arch=x86_64&distro=3.20.0',
      foundIn: '/lib/apk/db/installed',
    },
    {
      ecosystem: 'rpm',
      name: 'openssl-libs',
      version: '1:3.0.7-27.el9',
      arch: 'x86_64',
      source: 'openssl-3.0.7-27.el9.src.rpm',
      license: 'ASL 2.0',
      purl: 'pkg:rpm/redhat/openssl-libs@3.0.7-27.el9?arch=x86_64&epoch=1',
      foundIn: '/var/lib/rpm/rpmdb.sqlite',
    },
    {
      ecosystem: 'pypi',
      name: 'Django_Rest',
      version: '3.15.1',
      license: 'BSD-3-Clause OR (MIT AND Apache-2.0)',
      purl: 'pkg:pypi/django-rest@3.15.1',
      foundIn: '/usr/lib/python3/dist-packages/Django_Rest-3.15.1.dist-info/METADATA',
    },
    {
      ecosystem: 'npm',
      name: '@types/node',
      version: '24.0.1',
      license: 'MIT',
      purl: 'pkg:npm/%40types/node@24.0.1',
      foundIn: '/app/node_modules/@types/node/package.json',
    },
    {
      ecosystem: 'npm',
      name: '@types/node',
      version: '24.0.1',
      license: 'MIT',
      purl: 'pkg:npm/%40types/node@24.0.1',
      foundIn: '/app/node_modules/x/node_modules/@types/node/package.json',
    },
    {
      ecosystem: 'npm',
      name: 'left-pad',
      version: '1.3.0',
      license: 'WTFPL',
      purl: 'pkg:npm/left-pad@1.3.0',
      foundIn: '/app/node_modules/left-pad/package.json',
    },
    {
      ecosystem: 'npm',
      name: 'no-license',
      version: '0.0.1',
      purl: 'not a purl',
      foundIn: '/app/node_modules/no-license/package.json',
    },
  ],
}
