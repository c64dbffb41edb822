/**
 * Image references in the transports skopeo and podman use (containers-transports(5)).
 * This header fixes the shape every source reads; `parseImageRef` turns user text into it.
 */
import { ImgtestError } from '../errors.ts'
import { parseDockerReference } from './docker-reference.ts'

/** A docker reference: `registry.example:5000/team/app:1.2@sha256:…`, normalised with Docker's defaults. */
export interface DockerReference {
  /** Registry host with optional port; `docker.io` when none is given. */
  registry: string
  /** Repository path; `library/` is prefixed for single-segment Docker Hub names. */
  repository: string
  /** Tag; `latest` when neither tag nor digest is given. */
  tag?: string
  digest?: string
  /** The familiar short form, as `docker images` shows it (`busybox:latest`, `localhost:5000/app:1`). */
  familiar: string
}

export type ImageRef =
  /** Bare `name:tag`: the local engine first, then the registry (only when pulling is allowed). */
  | { transport: 'auto'; input: string; reference: DockerReference }
  | { transport: 'docker-daemon'; input: string; reference: DockerReference }
  /** `docker-daemon:sha256:<id>`: an image in the local engine named by its image id. */
  | { transport: 'docker-daemon'; input: string; imageId: string }
  | { transport: 'docker'; input: string; reference: DockerReference }
  /**
   * `docker-archive:path[:reference|:@index]`: a `docker save` tar (legacy layout or OCI layout).
   * `sourceIndex` picks the n-th image of manifest.json, as skopeo's `@index` does.
   */
  | {
      transport: 'docker-archive'
      input: string
      path: string
      reference?: DockerReference
      sourceIndex?: number
    }
  /** `oci-archive:path[:tag]`: a tar of an OCI image layout. */
  | { transport: 'oci-archive'; input: string; path: string; tag?: string }
  /** `oci:dir[:tag]`: an OCI image layout directory. */
  | { transport: 'oci'; input: string; path: string; tag?: string }

// Transports of containers-transports(5) that imgtest does not read, named so the error can say so.
// `dir:` is also a plausible image name, so it only counts when the text is no valid docker reference.
const UNSUPPORTED = ['containers-storage', 'ostree', 'sif', 'tarball', 'atomic']
const SUPPORTED = 'docker-daemon:, docker://, docker-archive:, oci-archive:, oci:'
// The OCI image layout's grammar for org.opencontainers.image.ref.name values.
const OCI_REF_NAME =
  /^[A-Za-z0-9]+(?:(?:[-._:@+]|--)[A-Za-z0-9]+)*(?:\/[A-Za-z0-9]+(?:(?:[-._:@+]|--)[A-Za-z0-9]+)*)*$/

function bad(input: string, reason: string, hint: string): never {
  throw new ImgtestError('IMGTEST_BAD_REFERENCE', `bad image reference "${input}": ${reason}; ${hint}`)
}

/** `path[:rest]` split at the first colon, as containers/image does (paths cannot contain `:`). */
function splitPath(input: string, body: string, transport: string): { path: string; rest?: string } {
  const colon = body.indexOf(':')
  const path = colon === -1 ? body : body.slice(0, colon)
  const rest = colon === -1 ? undefined : body.slice(colon + 1)
  if (path === '') bad(input, `${transport} needs a path`, `write ${transport}path/to/file[:name]`)
  return rest === undefined || rest === '' ? { path } : { path, rest }
}

function ociTag(input: string, rest: string | undefined): { tag?: string } {
  if (rest === undefined) return {}
  if (!OCI_REF_NAME.test(rest)) {
    bad(
      input,
      `"${rest}" is not a valid OCI reference name`,
      'use letters, digits and - . _ : @ + / between them',
    )
  }
  return { tag: rest }
}

/**
 * Parses an image reference in the transports skopeo and podman use.
 * A bare `name[:tag][@digest]` is `auto` (local engine first, then the registry).
 *
 * @example
 * parseImageRef('python:3.12') // { transport: 'auto', reference: { registry: 'docker.io', repository: 'library/python', tag: '3.12', … } }
 * parseImageRef('docker-archive:out/web.tar:example/web:1') // { transport: 'docker-archive', path: 'out/web.tar', reference: … }
 * parseImageRef('oci:layouts/web:v1') // { transport: 'oci', path: 'layouts/web', tag: 'v1' }
 */
export function parseImageRef(input: string): ImageRef {
  if (input.trim() === '')
    bad(input, 'it is empty', 'name an image such as busybox:latest or docker-archive:file.tar')
  if (input.startsWith('docker://')) {
    return {
      transport: 'docker',
      input,
      reference: parseDockerReference(input.slice('docker://'.length), input),
    }
  }
  if (input.startsWith('docker-daemon:')) {
    const body = input.slice('docker-daemon:'.length)
    if (/^sha256:[a-f0-9]{64}$/.test(body)) return { transport: 'docker-daemon', input, imageId: body }
    if (body.startsWith('sha256:')) {
      bad(
        input,
        'an image id is sha256: and 64 lowercase hex characters',
        'copy it from docker images --no-trunc',
      )
    }
    return { transport: 'docker-daemon', input, reference: parseDockerReference(body, input) }
  }
  if (input.startsWith('docker-archive:')) {
    const { path, rest } = splitPath(input, input.slice('docker-archive:'.length), 'docker-archive:')
    if (rest === undefined) return { transport: 'docker-archive', input, path }
    if (rest.startsWith('@')) {
      if (!/^@\d+$/.test(rest)) bad(input, `"${rest}" is not an image index`, 'write @0 for the first image')
      return { transport: 'docker-archive', input, path, sourceIndex: Number(rest.slice(1)) }
    }
    return { transport: 'docker-archive', input, path, reference: parseDockerReference(rest, input) }
  }
  if (input.startsWith('oci-archive:')) {
    const { path, rest } = splitPath(input, input.slice('oci-archive:'.length), 'oci-archive:')
    return { transport: 'oci-archive', input, path, ...ociTag(input, rest) }
  }
  if (input.startsWith('oci:')) {
    const { path, rest } = splitPath(input, input.slice('oci:'.length), 'oci:')
    return { transport: 'oci', input, path, ...ociTag(input, rest) }
  }
  const prefix = input.slice(0, Math.max(0, input.indexOf(':')))
  const unsupported = () =>
    bad(input, `the ${prefix}: transport is not supported`, `use one of ${SUPPORTED} or a bare name`)
  if (UNSUPPORTED.includes(prefix)) unsupported()
  try {
    return { transport: 'auto', input, reference: parseDockerReference(input) }
  } catch (error) {
    if (prefix === 'dir') unsupported()
    throw error
  }
}
