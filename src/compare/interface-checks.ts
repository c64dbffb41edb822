import type { ImageConfig, ImageSnapshot } from '../image/snapshot.ts'
import {
  byCodeUnit,
  DEFAULT_SHELL,
  DEFAULT_STOP_SIGNAL,
  describeUser,
  normalizeDir,
  normalizePort,
  normalizeSignal,
  normalizeUser,
  sameList,
  show,
} from './_normalize.ts'
import { checkCommand } from './command-check.ts'
import { checkEnv } from './env-check.ts'
import type { Finding } from './finding.ts'
import { newFinding } from './finding.ts'
import { checkHealthcheck } from './healthcheck-check.ts'

/** Every check id `checkInterface` can report, in the order its findings come. */
export const interfaceCheckIds = [
  'interface.entrypoint',
  'interface.cmd',
  'interface.env',
  'interface.ports',
  'interface.volumes',
  'interface.workdir',
  'interface.user',
  'interface.labels',
  'interface.stopsignal',
  'interface.healthcheck',
  'interface.shell',
  'interface.onbuild',
] as const

/** Keys of a config object (ExposedPorts, Volumes) in canonical form, mapped to the spelling the image used. */
function keySet(
  record: Record<string, object> | undefined,
  normalize: (key: string) => string,
): Map<string, string> {
  const set = new Map<string, string>()
  for (const key of Object.keys(record ?? {})) set.set(normalize(key), key)
  return set
}

function union(a: Iterable<string>, b: Iterable<string>): string[] {
  return [...new Set([...a, ...b])].sort(byCodeUnit)
}

function checkPorts(upstream: ImageConfig, rebuilt: ImageConfig): Finding[] {
  const up = keySet(upstream.ExposedPorts, normalizePort)
  const rb = keySet(rebuilt.ExposedPorts, normalizePort)
  return union(up.keys(), rb.keys()).flatMap((port) => {
    const u = up.get(port)
    const r = rb.get(port)
    if (u !== undefined && r !== undefined) return []
    const message =
      r === undefined
        ? `PORT ${port} exposed upstream, not exposed in rebuilt`
        : `PORT ${port} exposed in rebuilt, not exposed upstream`
    return [newFinding({ check: 'interface.ports', key: port, upstream: u, rebuilt: r, message })]
  })
}

function checkVolumes(upstream: ImageConfig, rebuilt: ImageConfig): Finding[] {
  const up = keySet(upstream.Volumes, normalizeDir)
  const rb = keySet(rebuilt.Volumes, normalizeDir)
  return union(up.keys(), rb.keys()).flatMap((path) => {
    const u = up.get(path)
    const r = rb.get(path)
    if (u !== undefined && r !== undefined) return []
    const message =
      r === undefined
        ? `VOLUME ${path} declared upstream, not declared in rebuilt`
        : `VOLUME ${path} declared in rebuilt, not declared upstream`
    return [newFinding({ check: 'interface.volumes', key: path, upstream: u, rebuilt: r, message })]
  })
}

function checkLabels(upstream: ImageConfig, rebuilt: ImageConfig): Finding[] {
  const up = upstream.Labels ?? {}
  const rb = rebuilt.Labels ?? {}
  return union(Object.keys(up), Object.keys(rb)).flatMap((label) => {
    const u = Object.hasOwn(up, label) ? up[label] : undefined
    const r = Object.hasOwn(rb, label) ? rb[label] : undefined
    if (u === r) return []
    const message =
      r === undefined
        ? `LABEL ${label}=${show(u)} set upstream, not set in rebuilt`
        : u === undefined
          ? `LABEL ${label}=${show(r)} set in rebuilt, not set upstream`
          : `LABEL ${label} is ${show(u)} upstream, ${show(r)} in rebuilt`
    return [newFinding({ check: 'interface.labels', key: label, upstream: u, rebuilt: r, message })]
  })
}

function checkWorkdir(upstream: ImageConfig, rebuilt: ImageConfig): Finding[] {
  // An unset WORKDIR starts the process in /.
  const effective = (dir: string | undefined) => normalizeDir(dir || '/')
  const describe = (dir: string | undefined) => (dir ? effective(dir) : '/ (unset)')
  if (effective(upstream.WorkingDir) === effective(rebuilt.WorkingDir)) return []
  const message = `WORKDIR is ${describe(upstream.WorkingDir)} upstream, ${describe(rebuilt.WorkingDir)} in rebuilt`
  return [
    newFinding({
      check: 'interface.workdir',
      upstream: upstream.WorkingDir,
      rebuilt: rebuilt.WorkingDir,
      message,
    }),
  ]
}

function checkUser(upstream: ImageConfig, rebuilt: ImageConfig): Finding[] {
  if (normalizeUser(upstream.User) === normalizeUser(rebuilt.User)) return []
  const message = `USER is ${describeUser(upstream.User)} upstream, ${describeUser(rebuilt.User)} in rebuilt`
  return [newFinding({ check: 'interface.user', upstream: upstream.User, rebuilt: rebuilt.User, message })]
}

function checkStopSignal(upstream: ImageConfig, rebuilt: ImageConfig): Finding[] {
  if (normalizeSignal(upstream.StopSignal) === normalizeSignal(rebuilt.StopSignal)) return []
  const describe = (signal: string | undefined) => signal || `${DEFAULT_STOP_SIGNAL} (default)`
  const message = `STOPSIGNAL is ${describe(upstream.StopSignal)} upstream, ${describe(rebuilt.StopSignal)} in rebuilt`
  return [
    newFinding({
      check: 'interface.stopsignal',
      upstream: upstream.StopSignal,
      rebuilt: rebuilt.StopSignal,
      message,
    }),
  ]
}

function checkShell(upstream: ImageConfig, rebuilt: ImageConfig): Finding[] {
  const effective = (shell: string[] | undefined) => (shell && shell.length > 0 ? shell : DEFAULT_SHELL)
  if (sameList(effective(upstream.Shell), effective(rebuilt.Shell))) return []
  const describe = (shell: string[] | undefined) =>
    shell && shell.length > 0 ? show(shell) : `${show(DEFAULT_SHELL)} (default)`
  const message = `SHELL is ${describe(upstream.Shell)} upstream, ${describe(rebuilt.Shell)} in rebuilt`
  return [newFinding({ check: 'interface.shell', upstream: upstream.Shell, rebuilt: rebuilt.Shell, message })]
}

function checkOnBuild(upstream: ImageConfig, rebuilt: ImageConfig): Finding[] {
  const up = upstream.OnBuild ?? []
  const rb = rebuilt.OnBuild ?? []
  if (sameList(up, rb)) return []
  const lacks = up.filter((trigger) => !rb.includes(trigger))
  const adds = rb.filter((trigger) => !up.includes(trigger))
  const parts: string[] = []
  if (lacks.length > 0) parts.push(`rebuilt lacks ${lacks.map((t) => show(t)).join(', ')}`)
  if (adds.length > 0) parts.push(`rebuilt adds ${adds.map((t) => show(t)).join(', ')}`)
  // Triggers run in order in a child build, so a reorder alone is still a difference.
  if (parts.length === 0)
    parts.push('the same triggers in a different order (they run in order in a child build)')
  const message = `ONBUILD triggers differ: ${parts.join('; ')}`
  return [
    newFinding({ check: 'interface.onbuild', upstream: upstream.OnBuild, rebuilt: rebuilt.OnBuild, message }),
  ]
}

/**
 * The runtime interface of two images compared field by field: entrypoint, cmd, env (a map; PATH
 * directory by directory), ports and volumes (sets), workdir, user (root in any spelling), labels
 * (a map), stop signal (SIGTERM when unset), healthcheck, shell and onbuild. Each finding is not
 * allowed yet: `applyPolicy` decides.
 *
 * @example
 * const findings = checkInterface(upstreamSnapshot, rebuiltSnapshot)
 * // [{ check: 'interface.ports', key: '8080/tcp', upstream: '8080/tcp', allowed: false,
 * //    message: 'PORT 8080/tcp exposed upstream, not exposed in rebuilt' }, …]
 */
export function checkInterface(upstream: ImageSnapshot, rebuilt: ImageSnapshot): Finding[] {
  const up = upstream.config
  const rb = rebuilt.config
  const shells = { upstream: up.Shell, rebuilt: rb.Shell }
  return [
    ...checkCommand('interface.entrypoint', up.Entrypoint, rb.Entrypoint, shells),
    ...checkCommand('interface.cmd', up.Cmd, rb.Cmd, shells),
    ...checkEnv(up.Env, rb.Env),
    ...checkPorts(up, rb),
    ...checkVolumes(up, rb),
    ...checkWorkdir(up, rb),
    ...checkUser(up, rb),
    ...checkLabels(up, rb),
    ...checkStopSignal(up, rb),
    ...checkHealthcheck(up.Healthcheck, rb.Healthcheck),
    ...checkShell(up, rb),
    ...checkOnBuild(up, rb),
  ]
}
