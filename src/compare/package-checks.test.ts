import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { contentVariants, fixtures } from '../../fixtures/images.ts'
import type { FileIndex } from '../image/file-index.ts'
import { licenseFilesOf } from '../image/inventory/license-files.ts'
import type { Ecosystem, InstalledPackage } from '../image/inventory/package.ts'
import { readInventory } from '../image/inventory/read-inventory.ts'
import { debianFixtureIndex } from '../image/inventory/testdata/debian-fixture.ts'
import { readFileIndex } from '../image/layers/read-file-index.ts'
import { loadSnapshot } from '../image/load.ts'
import { type EntrySpec, fileIndexOf } from '../image/testdata/file-index-of.ts'
import { checkPackages, type PackageSide } from './package-checks.ts'
import { applyPolicy } from './policy.ts'

const side = (index: FileIndex): PackageSide => ({ inventory: readInventory(index), index })

function without(index: FileIndex, ...paths: string[]): FileIndex {
  const entries = new Map(index.entries)
  for (const path of paths) entries.delete(path)
  return { ...index, entries }
}

describe('checkPackages on the Debian fixture pair (real status files and /usr/share/doc)', () => {
  const upstream = debianFixtureIndex('upstream')
  const rebuilt = debianFixtureIndex('rebuilt')

  test('the rebuilt image dropped docs but kept every copyright file: no findings', () => {
    // The pair really differs in docs: upstream ships NEWS, changelogs and more the rebuild dropped.
    const docs = (index: FileIndex) =>
      [...index.entries.keys()].filter((path) => path.startsWith('/usr/share/doc/'))
    expect(docs(upstream).length).toBeGreaterThan(docs(rebuilt).length + 300)
    expect(checkPackages(side(upstream), side(rebuilt))).toEqual([])
  })

  test('every one of the 88 packages has its copyright upstream, through symlinked doc dirs too', () => {
    const packages = readInventory(upstream).packages
    expect(packages).toHaveLength(88)
    const withCopyright = packages.filter((pkg) => licenseFilesOf(pkg, upstream)?.files.includes('copyright'))
    expect(withCopyright).toHaveLength(88)
    // Debian links libgcc-s1's doc dir to gcc-12-base's: the file is found through the link.
    expect(upstream.entries.get('/usr/share/doc/libgcc-s1')?.type).toBe('symlink')
    expect(
      licenseFilesOf(packages.find((p) => p.name === 'libgcc-s1') as InstalledPackage, upstream),
    ).toEqual({
      dir: '/usr/share/doc/libgcc-s1',
      files: ['copyright'],
    })
  })

  test('a copyright file removed from rebuilt is license.missing', () => {
    expect(checkPackages(side(upstream), side(without(rebuilt, '/usr/share/doc/bash/copyright')))).toEqual([
      {
        check: 'license.missing',
        key: '/usr/share/doc/bash/copyright',
        upstream: '/usr/share/doc/bash/copyright',
        allowed: false,
        message: 'license file of deb package bash missing in rebuilt: /usr/share/doc/bash/copyright',
      },
    ])
  })

  test('a symlinked doc dir removed from rebuilt is license.missing for that package only', () => {
    const findings = checkPackages(side(upstream), side(without(rebuilt, '/usr/share/doc/libstdc++6')))
    expect(findings.map((f) => [f.check, f.key])).toEqual([
      ['license.missing', '/usr/share/doc/libstdc++6/copyright'],
    ])
  })

  test('a package removed from the rebuilt status is packages.missing', () => {
    const status = rebuilt.contents.get('/var/lib/dpkg/status')?.toString() ?? ''
    const contents = new Map(rebuilt.contents)
    contents.set('/var/lib/dpkg/status', Buffer.from(status.replace(/^Package: tzdata\n[\s\S]*?\n\n/m, '')))
    const findings = checkPackages(side(upstream), side({ ...rebuilt, contents }))
    expect(findings).toEqual([
      {
        check: 'packages.missing',
        key: 'deb:tzdata',
        upstream: '2026f-0+deb12u1',
        allowed: false,
        message: 'deb package tzdata (2026f-0+deb12u1) is installed upstream, not in rebuilt',
      },
    ])
  })
})

// Synthetic images: packages given directly, files by path.
let counter = 0
function pkg(
  ecosystem: Ecosystem,
  name: string,
  version: string,
  foundIn = `/db/${counter++}`,
): InstalledPackage {
  return { ecosystem, name, version, purl: `pkg:${ecosystem}/${name}@${version}`, foundIn }
}
function image(packages: InstalledPackage[], files: string[] = []): PackageSide {
  const specs: EntrySpec[] = files.map((path) => ({ path, type: 'file' }))
  return { inventory: { packages }, index: fileIndexOf(specs) }
}

describe('packages.missing', () => {
  test('keyed <ecosystem>:<name>; extra packages in rebuilt are fine', () => {
    const findings = checkPackages(
      image([
        pkg('deb', 'curl', '7.88.1-10'),
        pkg('deb', 'bash-doc', '5.2-1'),
        pkg('apk', 'musl', '1.2.4-r2'),
      ]),
      image([pkg('deb', 'curl', '7.88.1-10'), pkg('deb', 'extra', '1.0')]),
    )
    expect(findings.map((f) => [f.check, f.key, f.upstream, f.message])).toEqual([
      [
        'packages.missing',
        'apk:musl',
        '1.2.4-r2',
        'apk package musl (1.2.4-r2) is installed upstream, not in rebuilt',
      ],
      [
        'packages.missing',
        'deb:bash-doc',
        '5.2-1',
        'deb package bash-doc (5.2-1) is installed upstream, not in rebuilt',
      ],
    ])
  })

  test('a policy allows removals by key glob', () => {
    const findings = checkPackages(
      image([pkg('deb', 'bash-doc', '5.2-1'), pkg('deb', 'curl', '7.88')]),
      image([]),
    )
    const allowed = applyPolicy(findings, { allow: [{ check: 'packages.missing', key: 'deb:*-doc' }] })
    expect(allowed.map((f) => [f.key, f.allowed])).toEqual([
      ['deb:bash-doc', true],
      ['deb:curl', false],
    ])
  })

  test('Python names are compared as PEP 503 normalises them', () => {
    expect(
      checkPackages(image([pkg('pypi', 'PyYAML', '6.0.1')]), image([pkg('pypi', 'pyyaml', '6.0.1')])),
    ).toEqual([])
    expect(
      checkPackages(
        image([pkg('pypi', 'zope.interface', '6.2')]),
        image([pkg('pypi', 'Zope_Interface', '6.2')]),
      ),
    ).toEqual([])
  })

  test('ecosystems limits what is compared', () => {
    const up = image([pkg('deb', 'curl', '7.88'), pkg('npm', 'left-pad', '1.3.0')])
    expect(checkPackages(up, image([]), { ecosystems: ['npm'] }).map((f) => f.key)).toEqual(['npm:left-pad'])
  })
})

describe('packages.downgraded', () => {
  test.each([
    ['deb', '2.36-9+deb12u4', '2.36-9+deb12u3'],
    ['deb', '1:1.0-1', '2.0-1'], // the epoch outranks the bigger number
    ['apk', '1.2.3-r1', '1.2.3_rc1-r5'],
    ['rpm', '3.0.7-25.el9', '3.0.7-24.el9'],
    ['npm', '1.0.0', '1.0.0-rc.1'],
    ['pypi', '2.0', '2.0rc1'],
  ] as [Ecosystem, string, string][])('%s: %s upstream, %s rebuilt', (ecosystem, upVersion, reVersion) => {
    const findings = checkPackages(
      image([pkg(ecosystem, 'p', upVersion)]),
      image([pkg(ecosystem, 'p', reVersion)]),
    )
    expect(findings).toEqual([
      {
        check: 'packages.downgraded',
        key: `${ecosystem}:p`,
        upstream: upVersion,
        rebuilt: reVersion,
        allowed: false,
        message: `${ecosystem} package p is older in rebuilt: ${reVersion} < ${upVersion} upstream`,
      },
    ])
  })

  test.each([
    ['deb', '2.36-9+deb12u3', '2.36-9+deb12u4'],
    ['deb', '1.0-1', '1.0-1+b1'],
    ['apk', '1.2.3_rc1-r5', '1.2.3-r0'],
    ['pypi', '1.0', '1.0.0'], // equal in PEP 440
  ] as [Ecosystem, string, string][])(
    '%s: %s upstream, %s rebuilt (same or newer) passes',
    (ecosystem, upVersion, reVersion) => {
      expect(
        checkPackages(image([pkg(ecosystem, 'p', upVersion)]), image([pkg(ecosystem, 'p', reVersion)])),
      ).toEqual([])
    },
  )

  test('a version the ordering cannot parse is a finding, not a pass', () => {
    const findings = checkPackages(image([pkg('npm', 'x', '1.0.0')]), image([pkg('npm', 'x', 'latest')]))
    expect(findings).toEqual([
      {
        check: 'packages.downgraded',
        key: 'npm:x',
        upstream: '1.0.0',
        rebuilt: 'latest',
        allowed: false,
        message:
          'npm package x: cannot tell whether rebuilt latest is older than upstream 1.0.0: cannot order npm (semver) version "latest": not a semver version',
      },
    ])
  })

  test('an unparseable version kept as it was is not a finding', () => {
    expect(checkPackages(image([pkg('npm', 'x', 'latest')]), image([pkg('npm', 'x', 'latest')]))).toEqual([])
  })

  test('several copies: each rank of rebuilt must be at least the same rank upstream', () => {
    const up = image([pkg('npm', 'debug', '4.3.4'), pkg('npm', 'debug', '2.6.9')])
    // A nested copy downgraded while the top one stayed.
    const findings = checkPackages(up, image([pkg('npm', 'debug', '4.3.4'), pkg('npm', 'debug', '2.6.8')]))
    expect(findings.map((f) => f.message)).toEqual([
      'npm package debug is older in rebuilt: 2.6.8 < 2.6.9 upstream (installed upstream: 4.3.4, 2.6.9; rebuilt: 4.3.4, 2.6.8)',
    ])
    // A copy no longer needed, or every copy newer: fine.
    expect(checkPackages(up, image([pkg('npm', 'debug', '4.3.4')]))).toEqual([])
    expect(checkPackages(up, image([pkg('npm', 'debug', '4.3.5'), pkg('npm', 'debug', '4.3.4')]))).toEqual([])
  })

  test('multi-arch copies of one version count once', () => {
    const libc = (arch: string) => ({ ...pkg('deb', 'libc6', '2.36-9'), arch })
    expect(checkPackages(image([libc('amd64'), libc('i386')]), image([libc('amd64'), libc('i386')]))).toEqual(
      [],
    )
  })
})

describe('license.missing beyond dpkg', () => {
  const site = (version: string) => `/usr/lib/python3.11/site-packages/requests-${version}.dist-info`

  test('rpm: every file of /usr/share/licenses/<name>/ at the same version', () => {
    const up = image(
      [pkg('rpm', 'openssl-libs', '3.0.7-25.el9')],
      ['/usr/share/licenses/openssl-libs/LICENSE.txt', '/usr/share/licenses/openssl-libs/NOTICE'],
    )
    const re = image(
      [pkg('rpm', 'openssl-libs', '3.0.7-25.el9')],
      ['/usr/share/licenses/openssl-libs/LICENSE.txt'],
    )
    expect(checkPackages(up, re).map((f) => [f.check, f.key])).toEqual([
      ['license.missing', '/usr/share/licenses/openssl-libs/NOTICE'],
    ])
  })

  test('Python: license files are compared inside the dist-info, wherever it moved', () => {
    const up = image(
      [pkg('pypi', 'requests', '2.31.0', `${site('2.31.0')}/METADATA`)],
      [`${site('2.31.0')}/LICENSE`],
    )
    const moved = `/opt/venv/lib/python3.12/site-packages/requests-2.31.0.dist-info`
    const kept = image([pkg('pypi', 'requests', '2.31.0', `${moved}/METADATA`)], [`${moved}/LICENSE`])
    expect(checkPackages(up, kept)).toEqual([])
    const dropped = image([pkg('pypi', 'requests', '2.31.0', `${moved}/METADATA`)], [`${moved}/RECORD`])
    expect(checkPackages(up, dropped).map((f) => f.message)).toEqual([
      `license file of pypi package requests missing in rebuilt: ${site('2.31.0')}/LICENSE (looked for LICENSE in ${moved})`,
    ])
  })

  test('across versions one license file is enough: names may change', () => {
    const up = image(
      [pkg('pypi', 'requests', '2.31.0', `${site('2.31.0')}/METADATA`)],
      [`${site('2.31.0')}/LICENSE`],
    )
    const renamed = image(
      [pkg('pypi', 'requests', '2.32.0', `${site('2.32.0')}/METADATA`)],
      [`${site('2.32.0')}/licenses/LICENSE.md`],
    )
    expect(checkPackages(up, renamed)).toEqual([])
    const none = image([pkg('pypi', 'requests', '2.32.0', `${site('2.32.0')}/METADATA`)], [])
    expect(checkPackages(up, none).map((f) => f.key)).toEqual([`${site('2.31.0')}/LICENSE`])
  })

  test('npm: LICENSE next to package.json', () => {
    const dir = '/app/node_modules/express'
    const up = image(
      [pkg('npm', 'express', '4.19.2', `${dir}/package.json`)],
      [`${dir}/LICENSE`, `${dir}/index.js`],
    )
    const re = image([pkg('npm', 'express', '4.19.2', `${dir}/package.json`)], [`${dir}/index.js`])
    expect(checkPackages(up, re)).toEqual([
      {
        check: 'license.missing',
        key: `${dir}/LICENSE`,
        upstream: `${dir}/LICENSE`,
        allowed: false,
        message: `license file of npm package express missing in rebuilt: ${dir}/LICENSE`,
      },
    ])
  })

  test('no license file upstream, nothing required; a removed package is packages.missing only', () => {
    expect(checkPackages(image([pkg('deb', 'x', '1')]), image([pkg('deb', 'x', '1')]))).toEqual([])
    const up = image([pkg('deb', 'x', '1')], ['/usr/share/doc/x/copyright'])
    expect(checkPackages(up, image([])).map((f) => f.check)).toEqual(['packages.missing'])
  })
})

// The real fixture images, read from their layers: each package variant of content-ref gives exactly
// its finding, and the Debian pair and the layer-split twin give none.
describe('checkPackages on fixture images read from the engine', () => {
  let cacheDir = ''
  const sides = new Map<string, PackageSide>()
  const read = async (tag: string): Promise<PackageSide> => {
    const known = sides.get(tag)
    if (known !== undefined) return known
    const index = await readFileIndex(await loadSnapshot(tag), undefined, { cacheDir })
    const found = side(index)
    sides.set(tag, found)
    return found
  }
  beforeAll(async () => {
    cacheDir = await mkdtemp(join(tmpdir(), 'imgtest-package-checks-'))
  })
  afterAll(async () => {
    if (cacheDir) await rm(cacheDir, { recursive: true, force: true })
  })

  test('Debian upstream vs rebuilt (docs dropped, copyrights kept): no findings; the test data is these images', async () => {
    const upstream = await read(fixtures.debianUpstream)
    const rebuilt = await read(fixtures.debianRebuilt)
    expect(upstream.inventory.packages).toHaveLength(88)
    expect(upstream.inventory.notes).toBeUndefined()
    expect(checkPackages(upstream, rebuilt)).toEqual([])
    // The committed test data above must describe these same images.
    const status = (s: PackageSide) => s.index.contents.get('/var/lib/dpkg/status')?.toString()
    expect(status(upstream)).toBe(
      debianFixtureIndex('upstream').contents.get('/var/lib/dpkg/status')?.toString(),
    )
    expect(status(rebuilt)).toBe(status(upstream))
  })

  const expectations: [string, { check: string; key: string }[]][] = [
    ['package-removed', [{ check: 'packages.missing', key: 'deb:tzdata' }]],
    ['package-downgraded', [{ check: 'packages.downgraded', key: 'deb:libssl3' }]],
    ['copyright-removed', [{ check: 'license.missing', key: '/usr/share/doc/tzdata/copyright' }]],
    ['python-downgraded', [{ check: 'packages.downgraded', key: 'pypi:requests' }]],
    ['npm-removed', [{ check: 'packages.missing', key: 'npm:left-pad' }]],
    ['layers-split', []],
    ['user-removed', []],
  ]

  test.each(expectations)('content-ref vs content-%s', async (aspect, expected) => {
    const variant = contentVariants.find((v) => v.aspect === aspect)
    if (variant === undefined) throw new Error(`no content variant ${aspect} in fixtures/images.ts`)
    const upstream = await read(fixtures.contentRef)
    expect(upstream.inventory.packages.map((p) => p.ecosystem).sort()).toEqual(
      expect.arrayContaining(['deb', 'npm', 'pypi']),
    )
    const findings = checkPackages(upstream, await read(variant.tag))
    expect(findings.map(({ check, key }) => ({ check, key }))).toEqual(expected)
    for (const finding of findings) {
      // Keys are `<ecosystem>:<name>` or a path; the message names the package or the path.
      for (const key of variant.keys ?? []) expect(finding.message).toContain(key.replace(/^\w+:/, ''))
    }
  })
})
