import { ImgtestError } from '../errors.ts'
import type { Descriptor } from './registry-manifest.ts'
import type { Platform } from './snapshot.ts'

// Node's process.arch → the GOARCH names OCI platforms use.
const ARCHITECTURES: Record<string, string> = {
  x64: 'amd64',
  arm64: 'arm64',
  arm: 'arm',
  ia32: '386',
  ppc64: 'ppc64le',
  s390x: 's390x',
  riscv64: 'riscv64',
  loong64: 'loong64',
  mips64el: 'mips64le',
  mipsel: 'mipsle',
}

/**
 * The platform images run on here: linux (containers run in Linux, also under Docker Desktop) and
 * the host architecture, with the variant where the architecture has one (arm64 → v8, arm → v6/v7).
 *
 * @example
 * hostPlatform() // { os: 'linux', architecture: 'amd64' }
 */
export function hostPlatform(arch: string = process.arch): Platform {
  const architecture = ARCHITECTURES[arch] ?? arch
  if (architecture === 'arm64') return { os: 'linux', architecture, variant: 'v8' }
  if (architecture === 'arm') {
    const version = (process.config.variables as Record<string, unknown>).arm_version
    return { os: 'linux', architecture, variant: `v${typeof version === 'string' ? version : '7'}` }
  }
  return { os: 'linux', architecture }
}

/** `linux/arm64/v8`, as `docker --platform` writes it. */
export function formatPlatform(platform: Partial<Platform>): string {
  return [platform.os ?? '?', platform.architecture ?? '?', platform.variant].filter(Boolean).join('/')
}

/**
 * Picks the manifest of an index that runs on `wanted`, as containerd does: same os and architecture;
 * an exact variant first, then (arm) an older variant the CPU also runs, then an entry without variant.
 * Throws IMGTEST_NO_MATCHING_PLATFORM listing what the index offers.
 *
 * @example
 * selectPlatform(index.manifests, { os: 'linux', architecture: 'amd64' }, 'registry.example/app:1')
 */
export function selectPlatform(
  manifests: readonly Descriptor[],
  wanted: Platform,
  where: string,
): Descriptor {
  let best: { descriptor: Descriptor; rank: number } | undefined
  for (const descriptor of manifests) {
    const rank = platformRank(descriptor.platform, wanted)
    if (rank > 0 && (!best || rank > best.rank)) best = { descriptor, rank }
  }
  if (best) return best.descriptor
  // Attestations and signatures ride in indexes as `unknown/unknown`: they are not platforms to offer.
  const offered = manifests
    .map((descriptor) => descriptor.platform)
    .filter((platform) => platform && platform.os !== 'unknown')
    .map((platform) => formatPlatform(platform ?? {}))
  throw new ImgtestError(
    'IMGTEST_NO_MATCHING_PLATFORM',
    `${where} has no image for ${formatPlatform(wanted)}; it offers ${offered.length > 0 ? offered.join(', ') : 'no platforms'}; pass a platform it offers`,
  )
}

// 0 = cannot run; higher = better match.
function platformRank(candidate: Partial<Platform> | undefined, wanted: Platform): number {
  if (!candidate || candidate.os !== wanted.os || candidate.architecture !== wanted.architecture) return 0
  const have = normaliseVariant(candidate.architecture, candidate.variant)
  const want = normaliseVariant(wanted.architecture, wanted.variant)
  if (have === want) return 100
  if (!want) return 50 - variantNumber(have)
  if (!have) return 40
  // An armv7 CPU runs v6 and v5 images; prefer the newest it can run.
  if (wanted.architecture === 'arm' && variantNumber(have) < variantNumber(want))
    return 10 + variantNumber(have)
  return 0
}

function normaliseVariant(architecture: string | undefined, variant: string | undefined): string {
  if (architecture === 'arm64' && (variant === undefined || variant === '' || variant === 'v8')) return ''
  return variant ?? ''
}

function variantNumber(variant: string): number {
  return Number(variant.replace(/^v/, '').split('.')[0]) || 0
}
