import { basename } from 'node:path'
import { PackageURL } from 'packageurl-js'
import type { DockerReference } from '../../image/ref.ts'
import { parseImageRef } from '../../image/ref.ts'
import type { ImageSnapshot } from '../../image/snapshot.ts'

// A reference that does not parse still gets a purl: the snapshot was read, only its name is odd.
function referenceOf(ref: string): { reference?: DockerReference; path?: string; tag?: string } {
  try {
    const parsed = parseImageRef(ref)
    if ('reference' in parsed && parsed.reference) return { reference: parsed.reference }
    if ('path' in parsed)
      return { path: parsed.path, ...('tag' in parsed && parsed.tag ? { tag: parsed.tag } : {}) }
  } catch {}
  return {}
}

// purl names are lower case; an archive's file name stands in for a repository name.
function nameFromPath(path: string): string {
  const name = basename(path)
    .replace(/\.(tar|tar\.gz|tgz|oci)$/i, '')
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
  return name === '' ? 'image' : name
}

/**
 * The image's package URL (`pkg:oci/…`): name = the repository's last segment, version = the
 * manifest digest where the source knows it, else the image id. `repository_url` is added only
 * when the image came from a registry or its name says which one (a local `name:tag` names none).
 *
 * @example
 * imagePurl(snapshotOf('registry.example:5000/team/app:1.2'))
 * // 'pkg:oci/app@sha256:…?arch=amd64&repository_url=registry.example%3A5000%2Fteam%2Fapp&tag=1.2'
 */
export function imagePurl(image: ImageSnapshot): string {
  const { reference, path, tag } = referenceOf(image.ref)
  const qualifiers: Record<string, string> = {}
  if (image.platform.architecture) qualifiers.arch = image.platform.architecture
  let name = 'image'
  if (reference) {
    name = (reference.repository.split('/').pop() ?? 'image').toLowerCase()
    if (reference.tag) qualifiers.tag = reference.tag
    // Docker Hub is the default for a bare name, so it counts as named only when written out.
    const named = reference.registry !== 'docker.io' || image.ref.includes('docker.io/')
    if (named || image.source === 'registry')
      qualifiers.repository_url = `${reference.registry}/${reference.repository}`
  } else if (path !== undefined) {
    name = nameFromPath(path)
    if (tag) qualifiers.tag = tag
  }
  const version = image.manifestDigest ?? image.digest
  return new PackageURL('oci', undefined, name, version, qualifiers).toString()
}
