import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { execa } from 'execa'
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest'
import { fixtures } from '../fixtures/images.ts'
import type { Finding } from '../src/compare/finding.ts'
import { imgtest } from './cli.ts'

// The same pair read from three sources must give the same findings. Sizes are the one thing a
// source changes (uncompressed in the engine and archives, compressed in a registry), so size
// findings are compared by check and key; everything else field by field.
const pairs = [
  { name: 'ports changed', upstream: fixtures.ifaceRef, rebuilt: 'imgtest-fixture/iface-ports-changed:1' },
  { name: 'example web', upstream: fixtures.webUpstream, rebuilt: fixtures.webHardened },
  { name: 'size', upstream: fixtures.sizeSmall, rebuilt: fixtures.sizeBig },
]

async function findings(upstream: string, rebuilt: string): Promise<Finding[]> {
  const { stdout, stderr, exitCode } = await imgtest(['compare', '--json', upstream, rebuilt])
  expect(stderr).toBe('')
  expect(exitCode).toBeLessThan(2)
  return (JSON.parse(stdout) as { findings: Finding[] }).findings
}

function comparable(list: Finding[]): unknown[] {
  return list.map((f) =>
    f.check.startsWith('size.') ? { check: f.check, key: f.key, allowed: f.allowed } : f,
  )
}

describe('one pair, three sources, the same findings', () => {
  let dir: string
  const registry = inject('registryHost')
  const pushed: string[] = []

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'imgtest-sources-'))
    for (const image of new Set(pairs.flatMap((p) => [p.upstream, p.rebuilt]))) {
      const target = `${registry}/${image}`
      await execa('docker', ['tag', image, target])
      await execa('docker', ['push', target])
      pushed.push(target)
    }
  })

  afterAll(async () => {
    for (const target of pushed) await execa('docker', ['rmi', target], { reject: false })
    await rm(dir, { recursive: true, force: true })
  })

  test.each(pairs.map((p) => [p.name, p] as const))('%s', async (_name, { upstream, rebuilt }) => {
    const archive = join(dir, `${_name.replace(/\W+/g, '-')}.tar`)
    await execa('docker', ['save', '-o', archive, upstream, rebuilt])

    const engine = await findings(upstream, rebuilt)
    const saved = await findings(
      `docker-archive:${archive}:${upstream}`,
      `docker-archive:${archive}:${rebuilt}`,
    )
    const fromRegistry = await findings(`docker://${registry}/${upstream}`, `docker://${registry}/${rebuilt}`)

    expect(engine.length).toBeGreaterThan(0)
    expect(comparable(saved)).toEqual(comparable(engine))
    expect(comparable(fromRegistry)).toEqual(comparable(engine))
  })
})
