import { readFileSync } from 'node:fs'
import { Spec, Validation } from '@cyclonedx/cyclonedx-library'
import { PackageURL } from 'packageurl-js'
import { describe, expect, test } from 'vitest'
import { imgtestVersion } from '../../imgtest-version.ts'
import { everyEcosystem, snapshotOf } from './testdata/inventories.ts'
import { toCycloneDx } from './to-cyclonedx.ts'

const fixed = {
  timestamp: new Date('2025-01-02T03:04:05Z'),
  serialNumber: 'urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79',
}
const image = snapshotOf('imgtest-fixture/debian-upstream:12')

interface Component {
  type: string
  name: string
  version?: string
  purl?: string
  group?: string
  'bom-ref'?: string
  licenses?: ({ license: { id?: string; name?: string } } | { expression: string })[]
}

async function schemaErrors(bom: unknown): Promise<unknown> {
  return new Validation.JsonStrictValidator(Spec.Version.v1dot6).validate(JSON.stringify(bom))
}

describe('toCycloneDx', () => {
  test('an inventory with a package of every ecosystem validates against the CycloneDX 1.6 strict schema', async () => {
    const bom = toCycloneDx(image, everyEcosystem, fixed)
    expect(bom.specVersion).toBe('1.6')
    expect(await schemaErrors(bom)).toBeNull()
  })

  test('an empty inventory validates too', async () => {
    expect(await schemaErrors(toCycloneDx(image, { packages: [] }, fixed))).toBeNull()
  })

  test('the validator does reject a broken document (so the tests above can fail)', async () => {
    const bom = toCycloneDx(image, everyEcosystem, fixed)
    const broken = { ...bom, components: [{ type: 'not-a-type', name: 'x' }] }
    expect(await schemaErrors(broken)).not.toBeNull()
  })

  test('the image is the metadata component, imgtest the tool', () => {
    const bom = toCycloneDx(image, everyEcosystem, fixed) as {
      serialNumber: string
      metadata: { timestamp: string; component: Component; tools: { components: Component[] } }
    }
    expect(bom.serialNumber).toBe(fixed.serialNumber)
    expect(bom.metadata.timestamp).toBe('2025-01-02T03:04:05.000Z')
    expect(bom.metadata.component).toMatchObject({
      type: 'container',
      name: 'imgtest-fixture/debian-upstream:12',
      version: image.digest,
      purl: `pkg:oci/debian-upstream@${image.digest}?arch=amd64&tag=12`,
    })
    expect(bom.metadata.tools.components).toEqual([
      { type: 'application', name: 'imgtest', version: imgtestVersion() },
    ])
    expect(imgtestVersion()).toBe(JSON.parse(readFileSync('package.json', 'utf8')).version)
  })

  test('every package has a purl that parses, the OS is an operating-system component', () => {
    const bom = toCycloneDx(image, everyEcosystem, fixed) as { components: Component[] }
    const os = bom.components.filter((c) => c.type === 'operating-system')
    expect(os).toMatchObject([
      { name: 'debian', version: '12', description: 'Debian GNU/Linux 12 (bookworm)' },
    ])
    const libraries = bom.components.filter((c) => c.type === 'library')
    expect(libraries).toHaveLength(everyEcosystem.packages.length)
    for (const c of libraries) expect(() => PackageURL.fromString(c.purl ?? '')).not.toThrow()
    expect(libraries.map((c) => c.purl)).toContain('pkg:npm/no-license@0.0.1')
  })

  test('licenses: SPDX ids, expressions in canonical spelling, else named', () => {
    const bom = toCycloneDx(image, everyEcosystem, fixed) as { components: Component[] }
    const byName = (name: string) => bom.components.find((c) => c.name === name)?.licenses
    expect(byName('bash')).toEqual([{ license: { id: 'GPL-3.0-or-later' } }])
    expect(byName('musl')).toEqual([{ license: { id: 'MIT' } }])
    expect(byName('libaudit1')).toEqual([{ license: { name: 'GPL-2+' } }])
    expect(byName('openssl-libs')).toEqual([{ license: { name: 'ASL 2.0' } }])
    expect(byName('django-rest')).toEqual([{ expression: 'BSD-3-Clause OR (MIT AND Apache-2.0)' }])
    expect(byName('no-license')).toBeUndefined()
  })

  test('a package found twice is two components with distinct bom-refs; npm scopes are groups', () => {
    const bom = toCycloneDx(image, everyEcosystem, fixed) as { components: Component[] }
    const node = bom.components.filter((c) => c.name === 'node')
    expect(node).toHaveLength(2)
    expect(node[0]?.group).toBe('@types')
    expect(new Set(node.map((c) => c['bom-ref'])).size).toBe(2)
  })

  test('the same input gives the same document, whatever the inventory order', () => {
    const reversed = { ...everyEcosystem, packages: [...everyEcosystem.packages].reverse() }
    const a = JSON.stringify(toCycloneDx(image, everyEcosystem, fixed))
    expect(JSON.stringify(toCycloneDx(image, reversed, fixed))).toBe(a)
    const golden = readFileSync(new URL('testdata/every-ecosystem.cdx.json', import.meta.url), 'utf8')
    expect(JSON.parse(a)).toEqual(
      JSON.parse(golden.replaceAll('"@IMGTEST_VERSION@"', JSON.stringify(imgtestVersion()))),
    )
  })

  test('without options, each document gets its own serial number', () => {
    const a = toCycloneDx(image, { packages: [] }) as { serialNumber: string }
    const b = toCycloneDx(image, { packages: [] }) as { serialNumber: string }
    expect(a.serialNumber).toMatch(/^urn:uuid:[0-9a-f-]{36}$/)
    expect(a.serialNumber).not.toBe(b.serialNumber)
  })
})
