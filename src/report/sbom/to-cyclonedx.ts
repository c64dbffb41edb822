import { randomUUID } from 'node:crypto'
import { Contrib, Enums, Models, Serialize, Spec } from '@cyclonedx/cyclonedx-library'
import type { InstalledPackage, Inventory } from '../../image/inventory/package.ts'
import type { ImageSnapshot } from '../../image/snapshot.ts'
import { imgtestVersion } from '../../imgtest-version.ts'
import { imagePurl } from './image-purl.ts'
import { packagePurl, sortedPackages } from './package-purl.ts'
import type { SbomOptions } from './sbom-options.ts'
import { spdxExpression } from './spdx-license-expression.ts'

/** A CycloneDX 1.6 document as JSON data. */
export type CycloneDxJson = Record<string, unknown>

// LicenseFactory tries an SPDX id, then an expression (this validator), then a named license.
const licenses = new Contrib.License.Factories.LicenseFactory((text) => {
  if (spdxExpression(text) === undefined) throw new RangeError(`not an SPDX expression: ${text}`)
})

function serialNumber(given: string | undefined): string {
  if (given === undefined) return `urn:uuid:${randomUUID()}`
  return given.startsWith('urn:uuid:') ? given : `urn:uuid:${given}`
}

function property(name: string, value: string): Models.Property {
  return new Models.Property(name, value)
}

function packageComponent(pkg: InstalledPackage, inventory: Inventory, bomRef: string): Models.Component {
  const purl = packagePurl(pkg, inventory.os)
  const component = new Models.Component(Enums.ComponentType.Library, purl.name, {
    bomRef,
    version: pkg.version,
    purl: purl.toString(),
    // npm scopes and other namespaces are CycloneDX groups; a distro name is not.
    ...(pkg.ecosystem === 'npm' && purl.namespace ? { group: purl.namespace } : {}),
  })
  if (pkg.license?.trim()) {
    component.licenses.add(licenses.makeFromString(spdxExpression(pkg.license) ?? pkg.license.trim()))
  }
  component.properties.add(property('imgtest:ecosystem', pkg.ecosystem))
  component.properties.add(property('imgtest:foundIn', pkg.foundIn))
  if (pkg.source) component.properties.add(property('imgtest:source', pkg.source))
  return component
}

/**
 * The image's packages as a CycloneDX 1.6 JSON document: the image is the metadata component
 * (type container, name = its reference, version = its image id, a `pkg:oci` purl), its OS a
 * component of type operating-system, every package a library component with its purl.
 * The same inputs with the same timestamp and serial number give the same document.
 *
 * @example
 * const bom = toCycloneDx(snapshot, inventory, { timestamp: new Date(0), serialNumber: 'urn:uuid:…' })
 * writeFileSync('sbom.cdx.json', JSON.stringify(bom, null, 2))
 */
export function toCycloneDx(
  image: ImageSnapshot,
  inventory: Inventory,
  options: SbomOptions = {},
): CycloneDxJson {
  const bom = new Models.Bom({ serialNumber: serialNumber(options.serialNumber) })
  bom.metadata.timestamp = options.timestamp ?? new Date()
  bom.metadata.tools.components.add(
    new Models.Component(Enums.ComponentType.Application, 'imgtest', { version: imgtestVersion() }),
  )

  const subjectPurl = imagePurl(image)
  const subject = new Models.Component(Enums.ComponentType.Container, image.ref, {
    bomRef: subjectPurl,
    version: image.digest,
    purl: subjectPurl,
  })
  subject.properties.add(property('imgtest:image:source', image.source))
  const platform = image.platform
  const platformText = `${platform.os}/${platform.architecture}${platform.variant ? `/${platform.variant}` : ''}`
  subject.properties.add(property('imgtest:image:platform', platformText))
  if (image.manifestDigest)
    subject.properties.add(property('imgtest:image:manifestDigest', image.manifestDigest))
  bom.metadata.component = subject

  if (inventory.os) {
    const { id, versionId, prettyName } = inventory.os
    const os = new Models.Component(Enums.ComponentType.OperatingSystem, id, {
      bomRef: `os:${id}${versionId ? `@${versionId}` : ''}`,
      ...(versionId ? { version: versionId } : {}),
      ...(prettyName ? { description: prettyName } : {}),
    })
    bom.components.add(os)
    subject.dependencies.add(os.bomRef)
  }

  // A package found twice (two node_modules copies) is two components; bom-refs must stay unique.
  const used = new Set<string>()
  for (const pkg of sortedPackages(inventory.packages)) {
    const purl = packagePurl(pkg, inventory.os).toString()
    const bomRef = used.has(purl) ? `${purl}#${pkg.foundIn}` : purl
    used.add(bomRef)
    const component = packageComponent(pkg, inventory, bomRef)
    bom.components.add(component)
    subject.dependencies.add(component.bomRef)
  }

  const serializer = new Serialize.JsonSerializer(new Serialize.JSON.Normalize.Factory(Spec.Spec1dot6))
  return JSON.parse(serializer.serialize(bom, { sortLists: true })) as CycloneDxJson
}
