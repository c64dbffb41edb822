import type { FileIndex } from '../image/file-index.ts'
import type { ResolvedPath } from '../image/resolve-path.ts'
import { MAX_LINKS, resolvePath } from '../image/resolve-path.ts'
import type { Names } from './_fs-describe.ts'
import {
  describeBits,
  describeOwner,
  describeType,
  formatMode,
  namesOf,
  resolvedType,
} from './_fs-describe.ts'
import { byCodeUnit } from './_normalize.ts'
import type { Finding } from './finding.ts'
import { newFinding } from './finding.ts'
import type { IndexedImage } from './indexed-image.ts'
import { isExecutable } from './lookup-program.ts'
import { movedTo } from './moved-to.ts'
import type { RequiredPath } from './required-paths.ts'
import { requiredPaths } from './required-paths.ts'
import { checkSetuid } from './setuid-check.ts'

/** Every check id `checkFilesystem` can report. */
export const filesystemCheckIds = ['fs.missing', 'fs.type', 'fs.mode', 'fs.owner', 'fs.setuid'] as const

export interface FilesystemOptions {
  /** Globs of more upstream paths rebuilt must keep (`/etc/ssl/certs/**`); matched against upstream's paths. */
  paths?: string[]
}

interface Sides {
  upstream: IndexedImage
  rebuilt: IndexedImage
  names: { upstream: Names; rebuilt: Names }
}

function entryInfo(resolved: ResolvedPath): Record<string, unknown> {
  const { entry } = resolved
  if (entry === undefined) return { path: resolved.path, type: resolvedType(resolved) }
  return {
    path: resolved.path,
    type: entry.type,
    mode: formatMode(entry.mode),
    uid: entry.uid,
    gid: entry.gid,
  }
}

/** Why a path does not resolve in rebuilt, as a clause: `/usr/bin is not a directory there`. */
function whyMissing(index: FileIndex, alias: string, resolved: ResolvedPath): string {
  if (resolved.problem === 'not-a-directory') return `: ${resolved.at} is not a directory there`
  // A hard link whose target is gone stops at the link itself; lstat-style lookups follow hard links.
  const here = index.entries.get(resolved.path)
  if (here?.type === 'hardlink') return `: it is a hard link to ${here.linkTarget}, which does not exist`
  const link = resolvePath(index, alias, { followFinal: false })
  if (link.entry?.type === 'symlink')
    return `: it is a symlink to ${link.entry.linkTarget} there, and ${resolved.at ?? resolved.path} does not exist`
  return ''
}

function checkPresence(required: RequiredPath, up: ResolvedPath, sides: Sides): Finding[] {
  const rebuilt = sides.rebuilt.index
  const found = required.aliases.map((alias) => ({ alias, resolved: resolvePath(rebuilt, alias) }))
  const absent = found.filter(({ resolved }) => resolved.problem !== undefined)
  const first = absent[0]
  if (first === undefined) return []
  const why = `exists upstream (${required.reasons.join(', ')})`
  if (first.resolved.problem === 'loop' && absent.length === found.length) {
    const message = `${first.alias} ${why} as ${describeType(resolvedType(up))}; in rebuilt it is a symlink loop (the lookup gave up at ${first.resolved.at} after ${MAX_LINKS} links)`
    return [
      newFinding({
        check: 'fs.type',
        key: first.alias,
        upstream: resolvedType(up),
        rebuilt: 'loop',
        message,
      }),
    ]
  }
  const others = absent.slice(1).map(({ alias }) => alias)
  const also = others.length > 0 ? ` (and as ${others.join(', ')})` : ''
  const present = found.filter(({ resolved }) => resolved.problem === undefined).map(({ alias }) => alias)
  let detail: string
  let rebuiltValue: unknown
  if (present.length > 0) detail = `, which has it only as ${present.join(', ')}`
  else {
    const moved = isExecutable(up) ? movedTo(sides.rebuilt, first.alias) : undefined
    rebuiltValue = moved === undefined ? undefined : { movedTo: moved.path }
    detail = moved?.message ?? whyMissing(rebuilt, first.alias, first.resolved)
  }
  return [
    newFinding({
      check: 'fs.missing',
      key: first.alias,
      upstream: entryInfo(up),
      rebuilt: rebuiltValue,
      message: `${first.alias}${also} ${why}, missing in rebuilt${detail}`,
    }),
  ]
}

/** Permission bits rebuilt takes away; root ignores its own write bit, so losing it on a root-owned file changes nothing. */
function removedBits(up: ResolvedPath, rb: ResolvedPath): number {
  if (up.entry === undefined || rb.entry === undefined) return 0
  let removed = up.entry.mode & 0o7777 & ~(rb.entry.mode & 0o7777)
  if (up.entry.uid === 0 && rb.entry.uid === 0) removed &= ~0o200
  return removed
}

function compareEntries(key: string, up: ResolvedPath, rb: ResolvedPath, sides: Sides): Finding[] {
  const upType = resolvedType(up)
  const rbType = resolvedType(rb)
  if (upType !== rbType) {
    const message = `${key} is ${describeType(upType)} upstream, ${describeType(rbType)} in rebuilt`
    return [newFinding({ check: 'fs.type', key, upstream: upType, rebuilt: rbType, message })]
  }
  const findings: Finding[] = []
  const removed = removedBits(up, rb)
  if (up.entry !== undefined && rb.entry !== undefined && removed !== 0) {
    const upMode = formatMode(up.entry.mode)
    const rbMode = formatMode(rb.entry.mode)
    const lostExec = upType === 'file' && isExecutable(up) && !isExecutable(rb)
    const message = lostExec
      ? `${key} is executable upstream (mode ${upMode}), not executable in rebuilt (mode ${rbMode})`
      : `${key} loses ${describeBits(removed)} in rebuilt (mode ${upMode} upstream, ${rbMode} in rebuilt)`
    findings.push(newFinding({ check: 'fs.mode', key, upstream: upMode, rebuilt: rbMode, message }))
  }
  if (up.entry !== undefined && rb.entry !== undefined) {
    const { upstream: upNames, rebuilt: rbNames } = sides.names
    // Compared by name when both images name the id, else by number.
    const same = (a: number, b: number, upMap: Map<number, string>, rbMap: Map<number, string>) => {
      const [upName, rbName] = [upMap.get(a), rbMap.get(b)]
      return upName !== undefined && rbName !== undefined ? upName === rbName : a === b
    }
    const sameUser = same(up.entry.uid, rb.entry.uid, upNames.user, rbNames.user)
    const sameGroup = same(up.entry.gid, rb.entry.gid, upNames.group, rbNames.group)
    if (!sameUser || !sameGroup) {
      const upOwner = describeOwner(up.entry, upNames)
      const rbOwner = describeOwner(rb.entry, rbNames)
      const ids = (entry: { uid: number; gid: number }) => `${entry.uid}:${entry.gid}`
      const message = `${key} is owned by ${upOwner} (${ids(up.entry)}) upstream, ${rbOwner} (${ids(rb.entry)}) in rebuilt`
      findings.push(newFinding({ check: 'fs.owner', key, upstream: upOwner, rebuilt: rbOwner, message }))
    }
  }
  return findings
}

function checkRequired(required: RequiredPath, sides: Sides): Finding[] {
  const [alias = '/'] = required.aliases
  const up = resolvePath(sides.upstream.index, alias)
  if (up.problem !== undefined) {
    // A broken link upstream (only globs select one) must still exist as a name in rebuilt.
    if (resolvePath(sides.rebuilt.index, alias, { followFinal: false }).problem === undefined) return []
    const message = `${alias} exists upstream (${required.reasons.join(', ')}; a broken link there), missing in rebuilt`
    return [newFinding({ check: 'fs.missing', key: alias, message })]
  }
  const findings = checkPresence(required, up, sides)
  const kept = required.aliases.find((name) => resolvePath(sides.rebuilt.index, name).problem === undefined)
  if (kept === undefined) return findings
  return [...findings, ...compareEntries(kept, up, resolvePath(sides.rebuilt.index, kept), sides)]
}

/**
 * Filesystem parity: what upstream offers must still be there in rebuilt, with a compatible type
 * and mode. Required: every executable in upstream's PATH, the ENTRYPOINT and CMD programs, and the
 * upstream paths matching `options.paths`. For each, under every name upstream reaches it by:
 * `fs.missing` (a binary moved elsewhere, inside or outside PATH, is still missing at its old path,
 * since shebangs and configs name paths: the message says where it went), `fs.type` (resolved types
 * differ, or a symlink loop), `fs.mode` (rebuilt removes permission bits: not executable any more,
 * lost read, setuid…), `fs.owner` (compared by name when both images name the ids). Plus `fs.setuid`
 * for any file setuid/setgid in rebuilt but not upstream. Symlinks are resolved inside each image.
 *
 * @example
 * checkFilesystem({ snapshot: up, index: upIndex }, { snapshot: rb, index: rbIndex }, { paths: ['/etc/ssl/**'] })
 * // → [{ check: 'fs.missing', key: '/usr/bin/curl', … message: '/usr/bin/curl exists upstream (an executable in PATH), missing in rebuilt' }]
 */
export function checkFilesystem(
  upstream: IndexedImage,
  rebuilt: IndexedImage,
  options: FilesystemOptions = {},
): Finding[] {
  const sides: Sides = {
    upstream,
    rebuilt,
    names: { upstream: namesOf(upstream.index), rebuilt: namesOf(rebuilt.index) },
  }
  const required = requiredPaths(upstream, options.paths)
  const findings = required.flatMap((path) => checkRequired(path, sides))
  findings.sort((a, b) => byCodeUnit(a.key ?? '', b.key ?? ''))
  return [...findings, ...checkSetuid(upstream.index, rebuilt.index)]
}
