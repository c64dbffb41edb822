import { ImgtestError } from '../errors.ts'
import type { DockerReference } from './ref.ts'

// The grammar of distribution/reference (the library the Docker CLI and engine parse names with).
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/
const DOMAIN =
  /^(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*(?::[0-9]+)?$/
const TAG = /^\w[\w.-]{0,127}$/
const DIGEST_HEX_LENGTH: Record<string, number> = { sha256: 64, sha384: 96, sha512: 128 }
const NAME_MAX = 255

const SHAPE = 'write it as [registry[:port]/]repository[:tag][@sha256:digest]'

function bad(input: string, reason: string, hint = SHAPE): never {
  throw new ImgtestError('IMGTEST_BAD_REFERENCE', `bad image reference "${input}": ${reason}; ${hint}`)
}

/** Splits off the registry the way Docker does: a first segment with `.` or `:`, `localhost`, or uppercase is a host. */
function splitDomain(name: string): { registry: string; path: string } {
  const slash = name.indexOf('/')
  const first = slash === -1 ? '' : name.slice(0, slash)
  const isHost =
    slash !== -1 &&
    (first.includes('.') || first.includes(':') || first === 'localhost' || first.toLowerCase() !== first)
  if (!isHost) return { registry: 'docker.io', path: name }
  const registry = first === 'index.docker.io' ? 'docker.io' : first
  return { registry, path: name.slice(slash + 1) }
}

/**
 * The familiar short form of a name, as `docker images` shows it.
 *
 * @example
 * familiarName('docker.io', 'library/busybox') // 'busybox'
 */
export function familiarName(registry: string, repository: string): string {
  if (registry !== 'docker.io') return `${registry}/${repository}`
  const short = repository.startsWith('library/') ? repository.slice('library/'.length) : repository
  return short.includes('/') ? repository : short
}

/**
 * Parses a docker reference (`name[:tag][@digest]`) and normalises it with Docker's defaults:
 * `docker.io` registry, `library/` for single-segment Hub names, `latest` when neither tag nor digest is given.
 *
 * @example
 * parseDockerReference('busybox') // { registry: 'docker.io', repository: 'library/busybox', tag: 'latest', familiar: 'busybox:latest' }
 * parseDockerReference('localhost:5000/team/app:1.2')
 */
export function parseDockerReference(input: string, shown = input): DockerReference {
  if (input === '') bad(shown, 'the name is empty')
  if (/\s/.test(input)) bad(shown, 'it contains whitespace')
  const at = input.indexOf('@')
  const nameAndTag = at === -1 ? input : input.slice(0, at)
  const digest = at === -1 ? undefined : input.slice(at + 1)
  const lastSlash = nameAndTag.lastIndexOf('/')
  const colon = nameAndTag.indexOf(':', lastSlash + 1)
  const name = colon === -1 ? nameAndTag : nameAndTag.slice(0, colon)
  const tag = colon === -1 ? undefined : nameAndTag.slice(colon + 1)

  if (name === '') bad(shown, 'the repository name is empty')
  if (/^[a-f0-9]{64}$/.test(name)) {
    bad(shown, 'a 64-character hex string is an image id, not a name', `write docker-daemon:sha256:${name}`)
  }
  const { registry, path } = splitDomain(name)
  if (!DOMAIN.test(registry)) bad(shown, `registry host "${registry}" is not a valid host[:port]`)
  if (path === '') bad(shown, 'the repository name is empty')
  if (path.toLowerCase() !== path) {
    // Hosts are case-insensitive, so lowercasing the whole name is always a valid suggestion.
    bad(
      shown,
      'repository name must be lowercase',
      `write "${name.toLowerCase()}${input.slice(name.length)}"`,
    )
  }
  for (const component of path.split('/')) {
    if (!PATH_COMPONENT.test(component)) {
      bad(
        shown,
        `repository path component "${component}" is invalid`,
        'use lowercase letters, digits and single separators (. _ __ -) between them',
      )
    }
  }
  if (tag !== undefined && !TAG.test(tag)) {
    bad(
      shown,
      `tag "${tag}" is invalid`,
      'a tag is up to 128 letters, digits, _ . - and must not start with . or -',
    )
  }
  if (digest !== undefined) checkDigest(digest, shown)

  const repository = registry === 'docker.io' && !path.includes('/') ? `library/${path}` : path
  if (`${registry}/${repository}`.length > NAME_MAX) {
    bad(shown, `the full name is longer than ${NAME_MAX} characters`)
  }
  const finalTag = tag ?? (digest === undefined ? 'latest' : undefined)
  const reference: DockerReference = { registry, repository, familiar: '' }
  if (finalTag !== undefined) reference.tag = finalTag
  if (digest !== undefined) reference.digest = digest
  reference.familiar = formatDockerReference(reference, { familiar: true })
  return reference
}

function checkDigest(digest: string, shown: string): void {
  const colon = digest.indexOf(':')
  const algorithm = colon === -1 ? '' : digest.slice(0, colon)
  const hex = digest.slice(colon + 1)
  const length = DIGEST_HEX_LENGTH[algorithm]
  if (length === undefined) {
    bad(
      shown,
      `digest "${digest}" has no supported algorithm`,
      'a digest looks like sha256:<64 lowercase hex>',
    )
  }
  if (hex.length !== length || !/^[a-f0-9]+$/.test(hex)) {
    bad(
      shown,
      `digest "${digest}" is malformed`,
      `a ${algorithm} digest is ${length} lowercase hex characters`,
    )
  }
}

/**
 * Writes a reference back as text: fully qualified by default, or in the familiar short form.
 *
 * @example
 * formatDockerReference(parseDockerReference('busybox')) // 'docker.io/library/busybox:latest'
 * formatDockerReference(parseDockerReference('busybox'), { familiar: true }) // 'busybox:latest'
 */
export function formatDockerReference(
  reference: Pick<DockerReference, 'registry' | 'repository' | 'tag' | 'digest'>,
  options: { familiar?: boolean } = {},
): string {
  const name = options.familiar
    ? familiarName(reference.registry, reference.repository)
    : `${reference.registry}/${reference.repository}`
  const tag = reference.tag === undefined ? '' : `:${reference.tag}`
  const digest = reference.digest === undefined ? '' : `@${reference.digest}`
  return `${name}${tag}${digest}`
}

/** True when two references name the same repository and tag (and digest, where both have one). */
export function sameDockerReference(a: DockerReference, b: DockerReference): boolean {
  if (a.registry !== b.registry || a.repository !== b.repository) return false
  if (a.digest !== undefined && b.digest !== undefined) return a.digest === b.digest
  return a.tag === b.tag
}
