import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Spec, Validation } from '@cyclonedx/cyclonedx-library'
import { execa } from 'execa'
import { PackageURL } from 'packageurl-js'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { fixtures } from '../../../fixtures/images.ts'
import { checkSbom } from '../../compare/sbom-checks.ts'
import type { Inventory } from '../../image/inventory/package.ts'
import { readInventory } from '../../image/inventory/read-inventory.ts'
import { readFileIndex } from '../../image/layers/read-file-index.ts'
import { loadSnapshot } from '../../image/load.ts'
import type { ImageSnapshot } from '../../image/snapshot.ts'
import { readSbom } from './read-sbom.ts'
import { spdxProblems } from './testdata/spdx-structure.ts'
import { toCycloneDx } from './to-cyclonedx.ts'
import { toSpdx } from './to-spdx.ts'

// The SBOM of the real Debian fixture, read from its layers, against dpkg's own answer inside a container.
let cacheDir = ''
let image: ImageSnapshot
let inventory: Inventory
let dpkg: string[] = []

beforeAll(async () => {
  cacheDir = await mkdtemp(join(tmpdir(), 'imgtest-sbom-'))
  image = await loadSnapshot(fixtures.debianUpstream)
  inventory = readInventory(await readFileIndex(image, undefined, { cacheDir }))
  const { stdout } = await execa('docker', [
    'run',
    '--rm',
    '--label',
    'dev.imgtest=1',
    '--network',
    'none',
    fixtures.debianUpstream,
    'dpkg-query',
    '-W',
    '-f',
    '${Package} ${Version} ${Architecture}\\n',
  ])
  dpkg = stdout.split('\n').filter(Boolean).sort()
})
afterAll(async () => {
  if (cacheDir) await rm(cacheDir, { recursive: true, force: true })
})

// `name version arch` from a deb purl, as dpkg-query prints it.
function debLine(purl: string, version: string | undefined): string {
  const parsed = PackageURL.fromString(purl)
  expect(parsed.type).toBe('deb')
  expect(parsed.version).toBe(version)
  return `${parsed.name} ${version} ${parsed.qualifiers?.arch}`
}

describe(`SBOM of ${fixtures.debianUpstream}`, () => {
  test('dpkg-query inside the container lists a real package set (so the comparisons below mean something)', () => {
    expect(dpkg.length).toBeGreaterThan(80)
    expect(dpkg.some((line) => line.startsWith('bash '))).toBe(true)
  })

  test('CycloneDX lists the same packages, versions and architectures as dpkg-query -W, and validates', async () => {
    const bom = toCycloneDx(image, inventory) as {
      components: { type: string; version?: string; purl?: string }[]
    }
    expect(
      await new Validation.JsonStrictValidator(Spec.Version.v1dot6).validate(JSON.stringify(bom)),
    ).toBeNull()
    const libraries = bom.components.filter((c) => c.type === 'library')
    expect(libraries.map((c) => debLine(c.purl ?? '', c.version)).sort()).toEqual(dpkg)
    expect(bom.components.filter((c) => c.type === 'operating-system')).toMatchObject([
      { name: 'debian', version: '12' },
    ])
  })

  test('SPDX lists the same packages, versions and architectures, and passes the structural checks', () => {
    const doc = toSpdx(image, inventory)
    expect(spdxProblems(doc)).toEqual([])
    const packages = doc.packages.filter((p) => p.externalRefs?.[0]?.referenceLocator.startsWith('pkg:deb/'))
    expect(
      packages.map((p) => debLine(p.externalRefs?.[0]?.referenceLocator ?? '', p.versionInfo)).sort(),
    ).toEqual(dpkg)
  })

  test('both SBOMs, read back, match what is inside the image', () => {
    expect(checkSbom(readSbom(toCycloneDx(image, inventory), 'cdx'), inventory)).toEqual([])
    expect(checkSbom(readSbom(JSON.stringify(toSpdx(image, inventory)), 'spdx'), inventory)).toEqual([])
  })

  test('the upstream SBOM matches the rebuilt image, which kept every package at the same version', async () => {
    const rebuilt = await loadSnapshot(fixtures.debianRebuilt)
    const rebuiltInventory = readInventory(await readFileIndex(rebuilt, undefined, { cacheDir }))
    const findings = checkSbom(readSbom(toCycloneDx(image, inventory), 'upstream.cdx.json'), rebuiltInventory)
    expect(rebuiltInventory.packages).toHaveLength(inventory.packages.length)
    expect(findings).toEqual([])
  })
})
