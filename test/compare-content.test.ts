import { describe, expect, test } from 'vitest'
import { contentVariants, fixtures } from '../fixtures/images.ts'
import type { Finding } from '../src/compare/finding.ts'
import { imgtest } from './cli.ts'

async function compareJson(...args: string[]): Promise<{ exitCode: number; findings: Finding[] }> {
  const result = await imgtest(['compare', '--json', ...args])
  expect(result.stderr).toBe('')
  return {
    exitCode: result.exitCode,
    findings: (JSON.parse(result.stdout) as { findings: Finding[] }).findings,
  }
}

// Each content variant differs from content-ref in exactly one file, user or package: compare, which
// now streams both images' layers, must report exactly that and nothing else (sizes aside).
describe('imgtest compare on the content variants (layers read from the engine)', () => {
  test.each(contentVariants.map((v) => [v.aspect, v] as const))('%s', async (_aspect, variant) => {
    const { exitCode, findings } = await compareJson(
      fixtures.contentRef,
      variant.tag,
      '--size-slack',
      '10000000',
    )
    expect([...new Set(findings.map((f) => f.check))]).toEqual(variant.expectedChecks)
    if (variant.keys) expect(findings.map((f) => f.key).sort()).toEqual([...variant.keys].sort())
    for (const text of variant.mentions ?? [])
      expect(findings.map((f) => f.message).join('\n')).toContain(text)
    expect(exitCode).toBe(variant.expectedChecks.length ? 1 : 0)
  })

  test('--config-only reads no layer and so sees no content difference', async () => {
    const { findings } = await compareJson(
      fixtures.contentRef,
      'imgtest-fixture/content-binary-removed:1',
      '--config-only',
    )
    expect(findings.filter((f) => !f.check.startsWith('size.'))).toEqual([])
  })

  test('--path makes more upstream paths required', async () => {
    const { findings } = await compareJson(
      fixtures.contentRef,
      'imgtest-fixture/content-package-removed:1',
      '--size-slack',
      '10000000',
      '--path',
      '/usr/share/zoneinfo/**',
    )
    expect(findings.some((f) => f.check === 'fs.missing' && f.key?.startsWith('/usr/share/zoneinfo/'))).toBe(
      true,
    )
  })

  test('the Debian pair: only the user differs, down to every file and package', async () => {
    const { findings } = await compareJson(fixtures.debianUpstream, fixtures.debianRebuilt)
    expect(findings.map((f) => f.check)).toEqual(['interface.user'])
  })
})

describe('imgtest sbom', () => {
  test('CycloneDX of the Debian fixture lists what dpkg lists, and SPDX works too', async () => {
    const { execa } = await import('execa')
    const cdx = await imgtest(['sbom', fixtures.debianUpstream])
    expect(cdx.exitCode).toBe(0)
    const bom = JSON.parse(cdx.stdout) as {
      specVersion: string
      components: { type: string; name: string; version: string }[]
    }
    expect(bom.specVersion).toBe('1.6')
    const { stdout } = await execa('docker', [
      'run',
      '--rm',
      '--label',
      'dev.imgtest=1',
      fixtures.debianUpstream,
      'dpkg-query',
      '-W',
      '-f',
      '${Package} ${Version}\\n',
    ])
    const listed = bom.components.filter((c) => c.type === 'library').map((c) => `${c.name} ${c.version}`)
    expect(listed.sort()).toEqual(stdout.trim().split('\n').sort())

    const spdx = await imgtest(['sbom', '--format', 'spdx', fixtures.debianUpstream])
    expect((JSON.parse(spdx.stdout) as { spdxVersion: string }).spdxVersion).toBe('SPDX-2.3')
  })

  test('a wrong format is a usage error', async () => {
    const result = await imgtest(['sbom', '--format', 'swid', fixtures.contentRef])
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toMatch(/--format must be cyclonedx or spdx, not 'swid' \[IMGTEST_USAGE\]/)
  })
})
