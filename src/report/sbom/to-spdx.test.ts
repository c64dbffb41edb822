import { PackageURL } from 'packageurl-js'
import { describe, expect, test } from 'vitest'
import { imgtestVersion } from '../../imgtest-version.ts'
import { everyEcosystem, snapshotOf } from './testdata/inventories.ts'
import { spdxProblems } from './testdata/spdx-structure.ts'
import { toSpdx } from './to-spdx.ts'

const fixed = {
  timestamp: new Date('2025-01-02T03:04:05.678Z'),
  serialNumber: 'urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79',
}
const image = snapshotOf('imgtest-fixture/debian-upstream:12')

describe('toSpdx', () => {
  test('an inventory with a package of every ecosystem passes the partial SPDX 2.3 schema and its cross-checks', () => {
    expect(spdxProblems(toSpdx(image, everyEcosystem, fixed))).toEqual([])
    expect(spdxProblems(toSpdx(image, { packages: [] }, fixed))).toEqual([])
  })

  test('the structural check rejects broken documents (so the test above can fail)', () => {
    const doc = toSpdx(image, everyEcosystem, fixed)
    expect(spdxProblems({ ...doc, spdxVersion: 'SPDX-2.2' })).not.toEqual([])
    expect(spdxProblems({ ...doc, creationInfo: { created: '2025-01-02', creators: [] } })).toHaveLength(2)
    expect(spdxProblems({ ...doc, packages: [...doc.packages, doc.packages[1]] })).toEqual([
      `duplicate SPDXID ${doc.packages[1]?.SPDXID}`,
    ])
    expect(spdxProblems({ ...doc, relationships: doc.relationships.slice(1) })).toEqual([
      'the document DESCRIBES nothing',
    ])
    const badLicense = doc.packages.map((p, i) => (i === 2 ? { ...p, licenseDeclared: 'GPL-2+' } : p))
    expect(spdxProblems({ ...doc, packages: badLicense })).toHaveLength(1)
  })

  test('document fields: version, license, namespace from the image digest and the uuid, creator with version', () => {
    const doc = toSpdx(image, everyEcosystem, fixed)
    expect(doc).toMatchObject({
      spdxVersion: 'SPDX-2.3',
      dataLicense: 'CC0-1.0',
      SPDXID: 'SPDXRef-DOCUMENT',
      name: 'imgtest-fixture/debian-upstream:12',
      documentNamespace:
        'https://spdx.org/spdxdocs/imgtest/debian-upstream-4d6f4ca3cb6e-3e671687-395b-41f5-a30f-a58921a69b79',
      creationInfo: { created: '2025-01-02T03:04:05Z', creators: [`Tool: imgtest-${imgtestVersion()}`] },
    })
  })

  test('the document describes the image, which contains the OS and every package', () => {
    const doc = toSpdx(image, everyEcosystem, fixed)
    const [subject, os, ...packages] = doc.packages
    expect(subject).toMatchObject({
      SPDXID: 'SPDXRef-Image-debian-upstream',
      name: image.ref,
      versionInfo: image.digest,
      primaryPackagePurpose: 'CONTAINER',
    })
    expect(os).toMatchObject({ name: 'debian', versionInfo: '12', primaryPackagePurpose: 'OPERATING-SYSTEM' })
    expect(packages).toHaveLength(everyEcosystem.packages.length)
    expect(doc.relationships[0]).toEqual({
      spdxElementId: 'SPDXRef-DOCUMENT',
      relationshipType: 'DESCRIBES',
      relatedSpdxElement: subject?.SPDXID,
    })
    expect(doc.relationships.slice(1).map((r) => r.relatedSpdxElement)).toEqual(
      doc.packages.slice(1).map((p) => p.SPDXID),
    )
    for (const pkg of packages) {
      expect(pkg).toMatchObject({
        downloadLocation: 'NOASSERTION',
        filesAnalyzed: false,
        licenseConcluded: 'NOASSERTION',
      })
      const ref = pkg.externalRefs?.[0]
      expect(ref).toMatchObject({ referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl' })
      expect(() => PackageURL.fromString(ref?.referenceLocator ?? '')).not.toThrow()
    }
  })

  test('SPDXIDs are sanitised and unique; licenses are SPDX expressions or NOASSERTION', () => {
    const doc = toSpdx(image, everyEcosystem, fixed)
    const ids = doc.packages.map((p) => p.SPDXID)
    expect(new Set(ids).size).toBe(ids.length)
    expect(ids).toContain('SPDXRef-Package-npm-types-node-24.0.1')
    expect(ids).toContain('SPDXRef-Package-npm-types-node-24.0.1-2')
    expect(ids).toContain('SPDXRef-Package-deb-libaudit1-1-3.0.9-1')
    const license = (name: string) => doc.packages.find((p) => p.name === name)?.licenseDeclared
    expect(license('bash')).toBe('GPL-3.0-or-later')
    expect(license('musl')).toBe('MIT')
    expect(license('libaudit1')).toBe('NOASSERTION')
    expect(license('Django_Rest')).toBe('BSD-3-Clause OR (MIT AND Apache-2.0)')
  })

  test('the same input gives the same document, whatever the inventory order', () => {
    const reversed = { ...everyEcosystem, packages: [...everyEcosystem.packages].reverse() }
    expect(toSpdx(image, reversed, fixed)).toEqual(toSpdx(image, everyEcosystem, fixed))
    expect(toSpdx(image, everyEcosystem).documentNamespace).not.toBe(
      toSpdx(image, everyEcosystem).documentNamespace,
    )
  })
})
