import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { fixtures, interfaceVariants } from '../fixtures/images.ts'
import type { Finding } from '../src/compare/finding.ts'
import { imgtest, imgtestLeftovers } from './cli.ts'

interface Report {
  verdict: 'pass' | 'fail'
  findings: Finding[]
}

async function compareJson(...args: string[]): Promise<{ exitCode: number; report: Report; stderr: string }> {
  const result = await imgtest(['compare', '--json', ...args])
  return { exitCode: result.exitCode, report: JSON.parse(result.stdout) as Report, stderr: result.stderr }
}

describe('imgtest compare on the interface variants (real engine)', () => {
  test.each(interfaceVariants.map((v) => [v.aspect, v] as const))('%s', async (_aspect, variant) => {
    const { exitCode, report, stderr } = await compareJson(fixtures.ifaceRef, variant.tag)
    expect(stderr).toBe('')
    expect([...new Set(report.findings.map((f) => f.check))]).toEqual(variant.expectedChecks)
    if (variant.keys) expect(report.findings.map((f) => f.key).sort()).toEqual([...variant.keys].sort())
    expect(report.verdict).toBe(variant.expectedChecks.length ? 'fail' : 'pass')
    expect(exitCode).toBe(variant.expectedChecks.length ? 1 : 0)
  })

  test('the reference against itself is parity', async () => {
    const { exitCode, report } = await compareJson(fixtures.ifaceRef, fixtures.ifaceRef)
    expect(report).toEqual({ verdict: 'pass', findings: [] })
    expect(exitCode).toBe(0)
  })

  test('entrypoint in shell form is reported as such', async () => {
    const { report } = await compareJson(fixtures.ifaceRef, 'imgtest-fixture/iface-entrypoint-shell:1')
    expect(report.findings[0]?.message).toMatch(/exec form.*shell form/)
  })
})

describe('imgtest compare with a policy', () => {
  let dir: string
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'imgtest-policy-test-'))
  })
  afterAll(() => rm(dir, { recursive: true, force: true }))

  test('the example pair differs in user and package manager, which a policy file allows', async () => {
    const bare = await compareJson(fixtures.webUpstream, fixtures.webHardened)
    expect(bare.report.findings.map((f) => `${f.check} ${f.key ?? ''}`.trim())).toEqual([
      'interface.user',
      'fs.missing /bin/dpkg',
      'fs.missing /bin/dpkg-deb',
      'fs.missing /bin/rpm',
      'fs.missing /bin/rpm2cpio',
    ])
    expect(bare.exitCode).toBe(1)

    const policy = join(dir, 'policy.yaml')
    await writeFile(
      policy,
      [
        'allow:',
        '  - check: interface.user',
        '    reason: rebuilt runs as non-root',
        '  - check: fs.missing',
        "    key: '/bin/{dpkg,dpkg-deb,rpm,rpm2cpio}'",
        '',
      ].join('\n'),
    )
    const allowed = await compareJson(fixtures.webUpstream, fixtures.webHardened, '--policy', policy)
    expect(allowed.report.verdict).toBe('pass')
    expect(allowed.report.findings.every((f) => f.allowed)).toBe(true)
    expect(allowed.report.findings).toHaveLength(5)
    expect(allowed.exitCode).toBe(0)
  })

  test('the human report is a table with the allowed finding marked', async () => {
    const policy = join(dir, 'policy.json')
    await writeFile(policy, JSON.stringify({ allow: [{ check: 'interface.*' }] }))
    const result = await imgtest([
      'compare',
      '--config-only',
      fixtures.webUpstream,
      fixtures.webHardened,
      '--policy',
      policy,
    ])
    expect(result.exitCode).toBe(0)
    expect(result.stdout).toMatch(/^upstream\s+example\/web:1\s+sha256:/m)
    expect(result.stdout).toMatch(/interface\.user .*allowed/)
  })

  test('a malformed policy is one line naming the key and its path, exit 2', async () => {
    const policy = join(dir, 'bad.yaml')
    await writeFile(policy, 'allow:\n  - chek: interface.user\n')
    const result = await imgtest(['compare', fixtures.webUpstream, fixtures.webHardened, '--policy', policy])
    expect(result.exitCode).toBe(2)
    expect(result.stdout).toBe('')
    expect(result.stderr.trim().split('\n')).toHaveLength(1)
    expect(result.stderr).toMatch(
      /unknown key 'chek' at \/allow\/0\/chek in .*bad\.yaml.*\[IMGTEST_BAD_POLICY\]/,
    )
  })
})

describe('imgtest compare on size', () => {
  test('a rebuilt image twice the size fails, and passes with a looser ratio', async () => {
    const strict = await compareJson(fixtures.sizeSmall, fixtures.sizeBig)
    const size = strict.report.findings.find((f) => f.check === 'size.total')
    expect(size).toMatchObject({ allowed: false })
    expect(Number(size?.rebuilt)).toBeGreaterThan(Number(size?.upstream))
    expect(strict.exitCode).toBe(1)

    const loose = await compareJson(fixtures.sizeSmall, fixtures.sizeBig, '--max-size-ratio', '3')
    expect(loose.report.findings.filter((f) => f.check.startsWith('size.'))).toEqual([])
  })

  test('a smaller rebuilt image is parity', async () => {
    const { report } = await compareJson(fixtures.sizeBig, fixtures.sizeSmall)
    expect(report.findings.filter((f) => f.check.startsWith('size.'))).toEqual([])
  })
})

describe('bad input: one clear line, exit 2, nothing left behind', () => {
  let dir: string
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'imgtest-bad-input-'))
  })
  afterAll(() => rm(dir, { recursive: true, force: true }))

  async function expectOneLineError(args: string[], pattern: RegExp, env?: Record<string, string>) {
    const result = await imgtest(['compare', ...args], { env })
    expect(result.exitCode).toBe(2)
    expect(result.stdout).toBe('')
    expect(result.stderr.trim().split('\n')).toHaveLength(1)
    expect(result.stderr).toMatch(pattern)
    expect(result.leftoverTempFiles).toEqual([])
    expect(await imgtestLeftovers()).toEqual([])
  }

  test('a missing image', async () => {
    await expectOneLineError(
      ['docker-daemon:imgtest-fixture/does-not-exist:1', fixtures.ifaceRef],
      /imgtest-fixture\/does-not-exist:1 not found in the local engine.*\[IMGTEST_IMAGE_NOT_FOUND\]/,
    )
  })

  test('a stopped daemon', async () => {
    await expectOneLineError(
      [fixtures.ifaceRef, fixtures.ifaceRef],
      /unix:\/\/\/nonexistent\/docker\.sock.*\[IMGTEST_DAEMON_UNREACHABLE\]/,
      { DOCKER_HOST: 'unix:///nonexistent/docker.sock' },
    )
  })

  test('a truncated docker save tar', async () => {
    const { execa } = await import('execa')
    const full = join(dir, 'full.tar')
    await execa('docker', ['save', '-o', full, fixtures.ifaceRef])
    const { size } = await (await import('node:fs/promises')).stat(full)
    const truncated = join(dir, 'truncated.tar')
    await execa('head', ['-c', String(Math.floor(size / 2)), full], { stdout: { file: truncated } })
    await expectOneLineError(
      [`docker-archive:${truncated}`, fixtures.ifaceRef],
      /truncated\.tar.*\[IMGTEST_BAD_ARCHIVE\]/,
    )
  })

  test('a wrong option', async () => {
    await expectOneLineError(
      ['--colour', fixtures.ifaceRef, fixtures.ifaceRef],
      /--colour.*\[IMGTEST_USAGE\]/,
    )
  })
})
