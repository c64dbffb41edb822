import { PackageURL } from 'packageurl-js'
import { ImgtestError } from '../../errors.ts'
import { identityOfPurl } from './package-identity.ts'

/** One component (CycloneDX) or package (SPDX) an SBOM lists. */
export interface SbomComponent {
  name: string
  version?: string
  purl?: string
  /** CycloneDX `group` (an npm scope, a Maven group id). */
  group?: string
  /** CycloneDX `type` (`library`, `file`, …), or SPDX `primaryPackagePurpose` in lower case. */
  type?: string
  /** Where the SBOM has it: `components[3].components[0]`, `packages[5]`. */
  at: string
}

/** What a user-supplied SBOM says an image holds. */
export interface SbomComponents {
  format: 'cyclonedx' | 'spdx'
  /** `1.6` for CycloneDX, `SPDX-2.3` for SPDX. */
  specVersion: string
  /** The file (or label) the SBOM came from, for messages. */
  where: string
  /** What the SBOM describes (the image): CycloneDX `metadata.component`, SPDX's DESCRIBES target. */
  subject?: { name: string; version?: string; purl?: string }
  components: SbomComponent[]
}

const CYCLONEDX_VERSIONS = ['1.4', '1.5', '1.6', '1.7']

type Json = Record<string, unknown>

function bad(where: string, what: string, todo: string): never {
  throw new ImgtestError('IMGTEST_BAD_SBOM', `SBOM ${where}: ${what}; ${todo}`)
}

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

function optionalString(where: string, at: string, record: Json, field: string): string | undefined {
  const value = record[field]
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'string') bad(where, `${at}.${field} is ${typeof value}, not a string`, 'fix the SBOM')
  return value
}

// A purl that does not parse would silently match nothing: say which one.
function checkedPurl(where: string, at: string, purl: string | undefined): string | undefined {
  if (purl === undefined) return undefined
  try {
    PackageURL.fromString(purl)
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    bad(where, `${at} has a purl that does not parse ("${purl}": ${reason})`, 'fix or remove it')
  }
  return purl
}

function component(
  where: string,
  at: string,
  value: unknown,
  nameField: string,
  versionField: string,
): SbomComponent {
  if (!isObject(value)) bad(where, `${at} is not an object`, 'fix the SBOM')
  const name = optionalString(where, at, value, nameField)
  if (!name) bad(where, `${at} has no ${nameField}`, `give every entry a ${nameField}`)
  const version = optionalString(where, at, value, versionField)
  return { name, ...(version === undefined ? {} : { version }), at }
}

function arrayAt(where: string, at: string, value: unknown): unknown[] {
  if (value === undefined) return []
  if (!Array.isArray(value)) bad(where, `${at} is not an array`, 'fix the SBOM')
  return value
}

function readCycloneDx(doc: Json, where: string): SbomComponents {
  const specVersion = String(doc.specVersion ?? '')
  if (!CYCLONEDX_VERSIONS.includes(specVersion)) {
    bad(
      where,
      `CycloneDX specVersion "${specVersion}" is not read`,
      `imgtest reads CycloneDX ${CYCLONEDX_VERSIONS.join(', ')} JSON`,
    )
  }
  const components: SbomComponent[] = []
  const walk = (list: unknown, at: string) => {
    arrayAt(where, at, list).forEach((value, index) => {
      const here = `${at}[${index}]`
      const entry = component(where, here, value, 'name', 'version')
      const record = value as Json
      const purl = checkedPurl(where, here, optionalString(where, here, record, 'purl'))
      const group = optionalString(where, here, record, 'group')
      const type = optionalString(where, here, record, 'type')
      components.push({
        ...entry,
        ...(purl ? { purl } : {}),
        ...(group ? { group } : {}),
        ...(type ? { type } : {}),
      })
      walk(record.components, `${here}.components`)
    })
  }
  let subject: SbomComponents['subject']
  const metadata = doc.metadata
  if (isObject(metadata) && metadata.component !== undefined) {
    const { name, version } = component(where, 'metadata.component', metadata.component, 'name', 'version')
    const purl = optionalString(where, 'metadata.component', metadata.component as Json, 'purl')
    subject = { name, ...(version ? { version } : {}), ...(purl ? { purl } : {}) }
    // Parts of the subject listed inside it are components of the image too.
    walk((metadata.component as Json).components, 'metadata.component.components')
  }
  walk(doc.components, 'components')
  return { format: 'cyclonedx', specVersion, where, ...(subject ? { subject } : {}), components }
}

function spdxPurl(where: string, at: string, pkg: Json): string | undefined {
  for (const [index, ref] of arrayAt(where, `${at}.externalRefs`, pkg.externalRefs).entries()) {
    if (!isObject(ref) || ref.referenceType !== 'purl') continue
    if (ref.referenceCategory !== 'PACKAGE-MANAGER' && ref.referenceCategory !== 'PACKAGE_MANAGER') continue
    const locator = optionalString(where, `${at}.externalRefs[${index}]`, ref, 'referenceLocator')
    return checkedPurl(where, `${at}.externalRefs[${index}]`, locator)
  }
  return undefined
}

function readSpdx(doc: Json, where: string): SbomComponents {
  const specVersion = String(doc.spdxVersion)
  if (!/^SPDX-2\.\d+$/.test(specVersion)) {
    bad(where, `spdxVersion "${specVersion}" is not read`, 'imgtest reads SPDX 2.x JSON (2.2, 2.3)')
  }
  const described = new Set<string>()
  for (const id of arrayAt(where, 'documentDescribes', doc.documentDescribes)) described.add(String(id))
  for (const r of arrayAt(where, 'relationships', doc.relationships)) {
    if (!isObject(r)) continue
    if (r.spdxElementId === 'SPDXRef-DOCUMENT' && r.relationshipType === 'DESCRIBES')
      described.add(String(r.relatedSpdxElement))
    if (r.relatedSpdxElement === 'SPDXRef-DOCUMENT' && r.relationshipType === 'DESCRIBED_BY')
      described.add(String(r.spdxElementId))
  }
  const components: SbomComponent[] = []
  let subject: SbomComponents['subject']
  arrayAt(where, 'packages', doc.packages).forEach((value, index) => {
    const at = `packages[${index}]`
    const entry = component(where, at, value, 'name', 'versionInfo')
    const pkg = value as Json
    const purl = spdxPurl(where, at, pkg)
    const purpose = optionalString(where, at, pkg, 'primaryPackagePurpose')
    // The described package is the image, unless it is itself a package of an inventoried ecosystem.
    if (described.has(String(pkg.SPDXID)) && !(purl && identityOfPurl(purl))) {
      subject ??= {
        name: entry.name,
        ...(entry.version ? { version: entry.version } : {}),
        ...(purl ? { purl } : {}),
      }
      return
    }
    components.push({
      ...entry,
      ...(purl ? { purl } : {}),
      ...(purpose ? { type: purpose.toLowerCase() } : {}),
    })
  })
  return { format: 'spdx', specVersion, where, ...(subject ? { subject } : {}), components }
}

/**
 * Reads a user-supplied SBOM: CycloneDX 1.4–1.7 JSON or SPDX 2.x JSON, told apart by
 * `bomFormat` / `spdxVersion`. Bad input throws IMGTEST_BAD_SBOM naming `where` and the entry.
 *
 * @example
 * const sbom = readSbom(readFileSync('sbom.cdx.json', 'utf8'), 'sbom.cdx.json')
 * sbom.components // [{ name: 'bash', version: '5.2.15-2', purl: 'pkg:deb/debian/bash@5.2.15-2?arch=amd64', type: 'library', at: 'components[0]' }, …]
 */
export function readSbom(json: unknown, where: string): SbomComponents {
  let doc = json
  if (typeof json === 'string' || Buffer.isBuffer(json)) {
    const text = json.toString().trim()
    if (text.startsWith('<')) bad(where, 'this is XML', 'give the JSON form of the SBOM (CycloneDX or SPDX)')
    try {
      doc = JSON.parse(text)
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error)
      throw new ImgtestError(
        'IMGTEST_BAD_SBOM',
        `SBOM ${where}: not JSON (${reason}); give a CycloneDX or SPDX JSON document`,
        {
          cause: error,
        },
      )
    }
  }
  if (!isObject(doc))
    bad(where, 'the document is not a JSON object', 'give a CycloneDX or SPDX JSON document')
  if (doc.bomFormat === 'CycloneDX') return readCycloneDx(doc, where)
  if (typeof doc.spdxVersion === 'string') {
    if (doc.spdxVersion.startsWith('SPDX-3'))
      bad(where, 'SPDX 3 is not read', 'export SPDX 2.3 JSON or CycloneDX')
    return readSpdx(doc, where)
  }
  if (doc['@context'] !== undefined)
    bad(where, 'this looks like SPDX 3 JSON-LD, which is not read', 'export SPDX 2.3 JSON or CycloneDX')
  bad(
    where,
    'neither CycloneDX (no bomFormat "CycloneDX") nor SPDX (no spdxVersion)',
    'give a CycloneDX or SPDX JSON document',
  )
}
