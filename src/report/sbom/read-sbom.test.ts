import { readFileSync } from 'node:fs'
import { describe, expect, test } from 'vitest'
import { ImgtestError } from '../../errors.ts'
import { readSbom } from './read-sbom.ts'
import { everyEcosystem, snapshotOf } from './testdata/inventories.ts'
import { toCycloneDx } from './to-cyclonedx.ts'
import { toSpdx } from './to-spdx.ts'

const testdata = (name: string) => readFileSync(new URL(`testdata/${name}`, import.meta.url), 'utf8')
const image = snapshotOf('imgtest-fixture/debian-upstream:12')

function badSbom(input: unknown): string {
  try {
    readSbom(input, 'sbom.json')
  } catch (error) {
    expect(error).toBeInstanceOf(ImgtestError)
    expect((error as ImgtestError).code).toBe('IMGTEST_BAD_SBOM')
    const message = (error as Error).message
    expect(message).not.toContain('\n')
    return message
  }
  throw new Error('readSbom accepted bad input')
}

describe('readSbom', () => {
  test('CycloneDX 1.4: nested components, the subject apart, its own parts kept', () => {
    const sbom = readSbom(testdata('cyclonedx-1.4-nested.cdx.json'), 'nested.cdx.json')
    expect(sbom).toMatchObject({ format: 'cyclonedx', specVersion: '1.4', where: 'nested.cdx.json' })
    expect(sbom.subject).toEqual({ name: 'registry.example/app', version: '1.0' })
    expect(sbom.components).toEqual([
      {
        name: 'app-core',
        version: '1.0.0',
        purl: 'pkg:npm/app-core@1.0.0',
        type: 'library',
        at: 'metadata.component.components[0]',
      },
      { name: 'node', version: '24.0.1', group: '@types', type: 'application', at: 'components[0]' },
      {
        name: 'undici-types',
        version: '6.21.0',
        purl: 'pkg:npm/undici-types@6.21.0',
        type: 'library',
        at: 'components[0].components[0]',
      },
      { name: '/etc/passwd', type: 'file', at: 'components[1]' },
      { name: 'zlib', version: '1.3', purl: 'pkg:generic/zlib@1.3', type: 'library', at: 'components[2]' },
    ])
  })

  test('CycloneDX 1.7 from cdxgen is read as well', () => {
    const sbom = readSbom(testdata('cdxgen-debian-excerpt.cdx.json'), 'cdxgen.json')
    expect(sbom.specVersion).toBe('1.7')
    expect(sbom.components).toHaveLength(12)
  })

  test('SPDX 2.2: the described image is the subject; purls from PACKAGE_MANAGER refs; purposes as types', () => {
    const sbom = readSbom(JSON.parse(testdata('syft-like.spdx.json')), 'syft.spdx.json')
    expect(sbom).toMatchObject({ format: 'spdx', specVersion: 'SPDX-2.2' })
    expect(sbom.subject).toEqual({
      name: 'registry.example/app',
      version: 'sha256:abc',
      purl: 'pkg:oci/app@sha256%3Aabc',
    })
    expect(sbom.components).toEqual([
      {
        name: 'bash',
        version: '5.2.15-2+b7',
        purl: 'pkg:deb/debian/bash@5.2.15-2%2Bb7?arch=amd64&distro=debian-12',
        at: 'packages[1]',
      },
      { name: 'requests', version: '2.31.0', at: 'packages[2]' },
      { name: 'debian', version: '12', type: 'operating-system', at: 'packages[3]' },
    ])
  })

  test("imgtest's own CycloneDX and SPDX documents read back to every package", () => {
    const purls = everyEcosystem.packages.map((p) => p.purl).filter((p) => p.startsWith('pkg:'))
    for (const doc of [toCycloneDx(image, everyEcosystem), toSpdx(image, everyEcosystem)]) {
      const sbom = readSbom(JSON.stringify(doc), 'own')
      expect(sbom.subject?.name).toBe(image.ref)
      const read = sbom.components.filter((c) => c.purl).map((c) => c.purl)
      expect(read).toHaveLength(everyEcosystem.packages.length)
      for (const purl of purls) expect(read).toContain(purl.replace('%2B', '+'))
    }
  })

  test.each([
    [
      '{"bomFormat": "CycloneDX",',
      /^SBOM sbom\.json: not JSON \(.+\); give a CycloneDX or SPDX JSON document$/,
    ],
    ['<?xml version="1.0"?><bom/>', /this is XML; give the JSON form/],
    ['[]', /the document is not a JSON object/],
    ['{"name": "x"}', /neither CycloneDX \(no bomFormat "CycloneDX"\) nor SPDX \(no spdxVersion\)/],
    [
      '{"bomFormat": "CycloneDX", "specVersion": "1.3"}',
      /CycloneDX specVersion "1.3" is not read; imgtest reads CycloneDX 1.4, 1.5, 1.6, 1.7 JSON/,
    ],
    ['{"spdxVersion": "SPDX-3.0"}', /SPDX 3 is not read/],
    ['{"@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld", "@graph": []}', /SPDX 3 JSON-LD/],
    ['{"spdxVersion": "SPDX-1.2"}', /spdxVersion "SPDX-1.2" is not read/],
    ['{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": {}}', /components is not an array/],
    [
      '{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [{"type": "library"}]}',
      /components\[0\] has no name/,
    ],
    [
      '{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [{"type": "library", "name": "a", "version": 1}]}',
      /components\[0\]\.version is number, not a string/,
    ],
    [
      '{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [{"type": "library", "name": "a", "purl": "deb/bash"}]}',
      /components\[0\] has a purl that does not parse \("deb\/bash": .+\); fix or remove it/,
    ],
    [
      '{"spdxVersion": "SPDX-2.3", "packages": [{"SPDXID": "SPDXRef-a", "name": "a", "externalRefs": [{"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl", "referenceLocator": "nope"}]}]}',
      /packages\[0\]\.externalRefs\[0\] has a purl that does not parse/,
    ],
  ])('bad input %s gives one clear line', (input, expected) => {
    expect(badSbom(input)).toMatch(expected)
  })

  test('the JSON parse error is kept as cause', () => {
    try {
      readSbom('{', 'x.json')
    } catch (error) {
      expect((error as Error).cause).toBeInstanceOf(SyntaxError)
    }
    expect.assertions(1)
  })
})
