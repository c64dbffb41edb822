import { randomUUID } from 'node:crypto'
import { PackageURL } from 'packageurl-js'
import type { InstalledPackage, Inventory } from '../../image/inventory/package.ts'
import type { ImageSnapshot } from '../../image/snapshot.ts'
import { imgtestVersion } from '../../imgtest-version.ts'
import { imagePurl } from './image-purl.ts'
import { packagePurl, sortedPackages } from './package-purl.ts'
import type { SbomOptions } from './sbom-options.ts'
import { spdxExpression } from './spdx-license-expression.ts'

/** One SPDX 2.3 package, with the fields imgtest writes. */
export interface SpdxPackage {
  SPDXID: string
  name: string
  versionInfo?: string
  downloadLocation: 'NOASSERTION'
  filesAnalyzed: false
  licenseConcluded: 'NOASSERTION'
  licenseDeclared: string
  copyrightText: 'NOASSERTION'
  primaryPackagePurpose?: 'CONTAINER' | 'OPERATING-SYSTEM'
  sourceInfo?: string
  externalRefs?: { referenceCategory: 'PACKAGE-MANAGER'; referenceType: 'purl'; referenceLocator: string }[]
}

/** An SPDX 2.3 JSON document, as imgtest writes it. */
export interface SpdxDocument {
  spdxVersion: 'SPDX-2.3'
  dataLicense: 'CC0-1.0'
  SPDXID: 'SPDXRef-DOCUMENT'
  name: string
  documentNamespace: string
  creationInfo: { created: string; creators: string[] }
  packages: SpdxPackage[]
  relationships: {
    spdxElementId: string
    relationshipType: 'DESCRIBES' | 'CONTAINS'
    relatedSpdxElement: string
  }[]
}

// SPDX ids allow letters, digits, `.` and `-` only; the rest becomes `-`.
function spdxId(parts: string[], used: Set<string>): string {
  const base = `SPDXRef-${parts
    .join('-')
    .replace(/[^A-Za-z0-9.]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/-$/, '')}`
  let id = base
  for (let n = 2; used.has(id); n++) id = `${base}-${n}`
  used.add(id)
  return id
}

// SPDX wants `YYYY-MM-DDThh:mm:ssZ`, without milliseconds.
function spdxDate(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z')
}

function uuidOf(serialNumber: string | undefined): string {
  return serialNumber?.replace(/^urn:uuid:/, '') ?? randomUUID()
}

function purlRef(purl: string): NonNullable<SpdxPackage['externalRefs']> {
  return [{ referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: purl }]
}

const unknownPackage = {
  downloadLocation: 'NOASSERTION',
  filesAnalyzed: false,
  licenseConcluded: 'NOASSERTION',
} as const

function packageOf(pkg: InstalledPackage, inventory: Inventory, id: string): SpdxPackage {
  return {
    SPDXID: id,
    name: pkg.name,
    versionInfo: pkg.version,
    ...unknownPackage,
    // LicenseRef-… would need a hasExtractedLicensingInfos entry: only listed ids are written.
    licenseDeclared: (pkg.license && spdxExpression(pkg.license, { allowRefs: false })) || 'NOASSERTION',
    copyrightText: 'NOASSERTION',
    sourceInfo: `read by imgtest from ${pkg.foundIn}`,
    externalRefs: purlRef(packagePurl(pkg, inventory.os).toString()),
  }
}

/**
 * The image's packages as an SPDX 2.3 JSON document: the document DESCRIBES the image (a package
 * with a `pkg:oci` purl), which CONTAINS its OS and every package, each with its purl as a
 * PACKAGE-MANAGER external ref. The same inputs with the same options give the same document.
 *
 * @example
 * const doc = toSpdx(snapshot, inventory)
 * writeFileSync('sbom.spdx.json', JSON.stringify(doc, null, 2))
 */
export function toSpdx(image: ImageSnapshot, inventory: Inventory, options: SbomOptions = {}): SpdxDocument {
  const used = new Set<string>(['SPDXRef-DOCUMENT'])
  const subjectPurl = imagePurl(image)
  const subjectName = PackageURL.fromString(subjectPurl).name
  const digestHex = image.digest.replace(/^sha256:/, '').slice(0, 12)
  const subject: SpdxPackage = {
    SPDXID: spdxId(['Image', subjectName], used),
    name: image.ref,
    versionInfo: image.digest,
    ...unknownPackage,
    licenseDeclared: 'NOASSERTION',
    copyrightText: 'NOASSERTION',
    primaryPackagePurpose: 'CONTAINER',
    externalRefs: purlRef(subjectPurl),
  }
  const packages: SpdxPackage[] = [subject]
  if (inventory.os) {
    const { id, versionId } = inventory.os
    packages.push({
      SPDXID: spdxId(['OperatingSystem', id], used),
      name: id,
      ...(versionId ? { versionInfo: versionId } : {}),
      ...unknownPackage,
      licenseDeclared: 'NOASSERTION',
      copyrightText: 'NOASSERTION',
      primaryPackagePurpose: 'OPERATING-SYSTEM',
    })
  }
  for (const pkg of sortedPackages(inventory.packages)) {
    packages.push(packageOf(pkg, inventory, spdxId(['Package', pkg.ecosystem, pkg.name, pkg.version], used)))
  }
  return {
    spdxVersion: 'SPDX-2.3',
    dataLicense: 'CC0-1.0',
    SPDXID: 'SPDXRef-DOCUMENT',
    name: image.ref,
    documentNamespace: `https://spdx.org/spdxdocs/imgtest/${subjectName}-${digestHex}-${uuidOf(options.serialNumber)}`,
    creationInfo: {
      created: spdxDate(options.timestamp ?? new Date()),
      creators: [`Tool: imgtest-${imgtestVersion()}`],
    },
    packages,
    relationships: [
      {
        spdxElementId: 'SPDXRef-DOCUMENT',
        relationshipType: 'DESCRIBES',
        relatedSpdxElement: subject.SPDXID,
      },
      ...packages.slice(1).map((pkg) => ({
        spdxElementId: subject.SPDXID,
        relationshipType: 'CONTAINS' as const,
        relatedSpdxElement: pkg.SPDXID,
      })),
    ],
  }
}
