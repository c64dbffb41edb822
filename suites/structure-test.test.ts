import { fileURLToPath } from 'node:url'
import { execa } from 'execa'
import { afterEach, describe, expect, test } from 'vitest'
import { contentVariants, fixtures, runtimeFixtures } from '../fixtures/images.ts'
import { image } from '../src/image/image-handle.ts'
import { SESSION_LABEL, sessionId } from '../src/runtime/session-label.ts'
import { runStructureTest, structureTest } from './structure-test.ts'

// Real engine; run `node fixtures/build.ts` first. Every container carries dev.imgtest=1.
const options = { container: { labels: { 'dev.imgtest': '1' } } }
const testdata = (name: string) => fileURLToPath(new URL(`structure-test/testdata/${name}`, import.meta.url))
const summary = (findings: { check: string; key?: string; message: string }[]) =>
  findings.map((f) => `${f.check} ${f.key}: ${f.message}`)

afterEach(async () => {
  const { stdout } = await execa('docker', ['ps', '-aq', '--filter', `label=${SESSION_LABEL}=${sessionId}`])
  expect(stdout.trim()).toBe('')
  // Setup steps commit images; they carry the session label (a commit keeps container labels).
  const images = await execa('docker', ['images', '-q', '--filter', `label=${SESSION_LABEL}=${sessionId}`])
  expect(images.stdout.trim()).toBe('')
})

describe('runStructureTest (real engine)', () => {
  test('a CST file written for content-ref passes on it', async () => {
    const findings = await runStructureTest(
      image(fixtures.contentRef),
      structureTest(testdata('content-ref.yaml')),
      options,
    )
    expect(summary(findings)).toEqual([])
  })

  test('a wrong file mode, command output, file content and metadata field each fail with a clear message', async () => {
    const suite = structureTest([testdata('content-ref-mismatch.yaml')])
    const findings = await runStructureTest(image(fixtures.contentRef), suite, options)
    expect(summary(findings)).toEqual([
      'structure.file passwd: file /etc/passwd: expected permissions -rw-------, got -rw-r--r--',
      'structure.content os-release: file /etc/os-release: expected contents to match /ID=alpine/, they do not',
      'structure.metadata metadata.workdir: workdir: expected "/srv", got "/app"',
      'structure.command app version: command app: expected stdout to match /app 2\\.0/, got "app 1.0 running as root\\n"',
    ])
  })

  test('the same file fails on a variant whose app lost its exec bit, and one without a copyright file', async () => {
    const suite = structureTest(testdata('content-ref.yaml'))
    const notExecutable = contentVariants.find((v) => v.tag.includes('binary-not-executable'))?.tag as string
    const findings = await runStructureTest(image(notExecutable), suite, options)
    expect(summary(findings)).toEqual([
      'structure.file app: file /usr/local/bin/app: expected permissions -rwxr-xr-x, got -rw-r--r--',
      'structure.file app: file /usr/local/bin/app: expected to be executable by any, but its mode is -rw-r--r--',
      expect.stringMatching(
        /^structure\.command app runs: command app: expected exit code 0, got 127 .*executable file not found/,
      ),
      expect.stringMatching(/^structure\.command app runs: command app: expected stdout to match/),
      expect.stringMatching(/^structure\.command app runs: command app: expected stderr not to match/),
    ])
    const noCopyright = contentVariants.find((v) => v.tag.includes('copyright-removed'))?.tag as string
    const license = await runStructureTest(image(noCopyright), suite, options)
    expect(summary(license)).toEqual([
      'structure.license tzdata: package tzdata: expected a copyright file at /usr/share/doc/tzdata/copyright, there is none',
      'structure.license /usr/share/doc/tzdata/copyright: license file /usr/share/doc/tzdata/copyright: expected, not found',
    ])
  })

  test('file, content, metadata and command tests pass on a shell-less image', async () => {
    const suite = structureTest(testdata('shell-less.yaml'))
    expect(summary(await runStructureTest(image(runtimeFixtures.shellLess), suite, options))).toEqual([])
  })
})

describe('runStructureTest edge cases (real engine)', () => {
  test('setup steps run and are committed in turn, a failing one is a finding; a directory or missing path fails its content test', async () => {
    const suite = structureTest(testdata('edge-cases.yaml'))
    expect(summary(await runStructureTest(image(fixtures.contentRef), suite, options))).toEqual([
      'structure.content a directory: file /etc: expected a regular file, got a dir',
      'structure.content a missing file: file /etc/nope.conf: expected to exist, but it does not (missing at /etc/nope.conf)',
      expect.stringMatching(
        /^structure\.content through an env var: file \/usr\/local\/sbin:.*:\/bin: expected to exist, but it does not/,
      ),
      'structure.command a failing setup: command test a failing setup: setup sh -c echo no network >&2; exit 2 exited 2: "no network\\n"',
    ])
  })
})

describe('structureTest', () => {
  test('a misspelt key names the file, its path and line', () => {
    const file = testdata('misspelt-key.yaml')
    expect(() => structureTest(file)).toThrow(
      `unknown key 'shouldExists' at /fileExistenceTests/0/shouldExists in ${file} (line 5, col 5)`,
    )
  })

  test('a missing file is a config error naming it', () => {
    expect(() => structureTest(['/no/such/cst.yaml'])).toThrow(
      /cannot read structure-test file \/no\/such\/cst\.yaml/,
    )
  })
})
