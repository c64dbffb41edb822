import { type Finding, newFinding } from '../../src/compare/finding.ts'
import type { ImageConfig } from '../../src/image/snapshot.ts'
import { goRegExp } from './go-regexp.ts'
import type { KeyValue, MetadataTest } from './structure-test-schema.ts'

const show = (value: unknown): string => JSON.stringify(value ?? null)

// The engine stores `8080/tcp`; CST compares the number alone, so a bare port matches any protocol.
const exposed = (ports: readonly string[], p: string): boolean =>
  ports.some((have) => have === p || (!p.includes('/') && have.split('/')[0] === p))

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((item, i) => item === b[i])
}

function matches(pair: KeyValue, actual: string): boolean {
  const expected = pair.value ?? ''
  return pair.isRegex ? goRegExp(expected).test(actual) : expected === actual
}

/**
 * `structure.metadata` findings of a CST metadataTest, read from the image config (no container):
 * env vars and labels (exact or `isRegex`), exposed and unexposed ports, volumes and unmounted ones,
 * entrypoint, cmd, workdir and user. Keys are `metadata.<field>[.<name>]`.
 *
 * @example
 * checkMetadata(snapshot.config, { workdir: '/app', envVars: [{ key: 'PATH', value: '/usr/bin', isRegex: true }] })
 */
export function checkMetadata(config: ImageConfig, test: MetadataTest): Finding[] {
  const findings: Finding[] = []
  const fail = (key: string, message: string, rebuilt?: unknown) =>
    findings.push(newFinding({ check: 'structure.metadata', key: `metadata.${key}`, rebuilt, message }))
  const env = new Map<string, string>()
  for (const line of config.Env ?? []) {
    const eq = line.indexOf('=')
    env.set(eq === -1 ? line : line.slice(0, eq), eq === -1 ? '' : line.slice(eq + 1))
  }
  for (const pair of [...(test.envVars ?? []), ...(test.env ?? [])]) {
    const actual = env.get(pair.key)
    const how = pair.isRegex ? 'to match' : 'to be'
    if (actual === undefined)
      fail(`env.${pair.key}`, `env ${pair.key}: expected ${how} ${show(pair.value)}, not set`)
    else if (!matches(pair, actual))
      fail(
        `env.${pair.key}`,
        `env ${pair.key}: expected ${how} ${show(pair.value)}, got ${show(actual)}`,
        actual,
      )
  }
  const labels = config.Labels ?? {}
  for (const pair of test.labels ?? []) {
    const actual = labels[pair.key]
    const how = pair.isRegex ? 'to match' : 'to be'
    if (actual === undefined)
      fail(`labels.${pair.key}`, `label ${pair.key}: expected ${how} ${show(pair.value)}, not set`)
    else if (!matches(pair, actual))
      fail(
        `labels.${pair.key}`,
        `label ${pair.key}: expected ${how} ${show(pair.value)}, got ${show(actual)}`,
        actual,
      )
  }
  const ports = Object.keys(config.ExposedPorts ?? {})
  for (const p of test.exposedPorts ?? [])
    if (!exposed(ports, p))
      fail(`ports.${p}`, `port ${p}: expected exposed, exposed are ${show(ports)}`, ports)
  for (const p of test.unexposedPorts ?? [])
    if (exposed(ports, p)) fail(`ports.${p}`, `port ${p}: expected not exposed, but it is`, ports)
  const volumes = Object.keys(config.Volumes ?? {})
  for (const v of test.volumes ?? [])
    if (!volumes.includes(v))
      fail(`volumes.${v}`, `volume ${v}: expected, volumes are ${show(volumes)}`, volumes)
  for (const v of test.unmountedVolumes ?? [])
    if (volumes.includes(v))
      fail(`volumes.${v}`, `volume ${v}: expected not to be a volume, but it is`, volumes)
  if (test.entrypoint !== undefined && !sameList(test.entrypoint, config.Entrypoint ?? []))
    fail(
      'entrypoint',
      `entrypoint: expected ${show(test.entrypoint)}, got ${show(config.Entrypoint ?? [])}`,
      config.Entrypoint,
    )
  if (test.cmd !== undefined && !sameList(test.cmd, config.Cmd ?? []))
    fail('cmd', `cmd: expected ${show(test.cmd)}, got ${show(config.Cmd ?? [])}`, config.Cmd)
  // An empty workdir is not checked, as in CST.
  if (test.workdir !== undefined && test.workdir !== '' && test.workdir !== (config.WorkingDir ?? ''))
    fail(
      'workdir',
      `workdir: expected ${show(test.workdir)}, got ${show(config.WorkingDir ?? '')}`,
      config.WorkingDir,
    )
  if (test.user !== undefined && test.user !== (config.User ?? ''))
    fail('user', `user: expected ${show(test.user)}, got ${show(config.User ?? '')}`, config.User)
  return findings
}
