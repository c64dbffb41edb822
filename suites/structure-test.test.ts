import { fileURLToPath } from 'node:url'
import { execa } from 'execa'
import { afterEach, describe, expect, test } from 'vitest'
import { contentVariants, fixtures, runtimeFixtures } from '../fixtures/images.ts'
import { image } from '../src/image/image-handle.ts'
import { SESSION_LABEL, sessionId } from '../src/runtime/session-label.ts'
import { runSuiteInBoth } from '../src/suite/suite-parity.ts'
import {
  onlyStructureTests,
  runStructureTest,
  runStructureTestCases,
  structureTest,
  structureTestRunner,
} from './structure-test.ts'

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

describe('runStructureTestCases (real engine)', () => {
  test('one case per CST test in CST order, named as CST does; a name two files share gets #2; the log says why', async () => {
    const suite = structureTest([testdata('content-parity.yaml'), testdata('content-ref.yaml')])
    expect(suite.name).toBe('content-parity.yaml+content-ref.yaml')
    const run = await runStructureTestCases(fixtures.contentRef, suite, options)
    expect(run.suite).toBe('content-parity.yaml+content-ref.yaml')
    expect(run.timedOut).toBe(false)
    expect(run.cases.map((c) => `${c.name}: ${c.outcome}`)).toEqual([
      'File Existence Test: app: pass',
      'File Existence Test: os-release: pass',
      'File Existence Test: sudo: fail',
      'Metadata Test: pass',
      'File Existence Test: app #2: pass',
      'File Existence Test: home: pass',
      'File Existence Test: tool link: pass',
      'File Existence Test: no sudo: pass',
      'File Content Test: os-release: pass',
      'File Content Test: passwd: pass',
      'Metadata Test #2: pass',
      'License Test: pass',
      'Command Test: app runs: pass',
      'Command Test: shell works: pass',
      'Command Test: app runs #2: pass',
      'Command Test: env reaches the command: pass',
      'Command Test: exit code and stderr: pass',
    ])
    expect(run.cases[2]?.output).toBe(
      'file /usr/bin/sudo: expected to exist, but it does not (missing at /usr/bin/sudo)',
    )
    expect(run.log).toMatch(
      /^structure-test content-parity\.yaml\+content-ref\.yaml \(.*\) on imgtest-fixture\/content-ref:1\n/,
    )
    expect(run.log).toContain('--- File Existence Test: sudo: fail\n  file /usr/bin/sudo: expected to exist')
  })

  test('a failing setup step fails its case', async () => {
    const run = await runStructureTestCases(
      fixtures.contentRef,
      structureTest(testdata('edge-cases.yaml')),
      options,
    )
    expect(run.cases.find((c) => c.name === 'Command Test: a failing setup')).toMatchObject({
      outcome: 'fail',
      output: expect.stringMatching(/setup sh -c echo no network >&2; exit 2 exited 2/),
    })
  })
})

describe('runSuiteInBoth with structureTestRunner (real engine)', () => {
  test('compares the cases on both images; a flaky re-run takes only the regressed tests', async () => {
    const removed = contentVariants.find((v) => v.tag.includes('binary-removed'))?.tag as string
    const parity = await runSuiteInBoth(
      { upstream: fixtures.contentRef, rebuilt: removed },
      structureTest(testdata('content-parity.yaml')),
      { flakyRetries: 1 },
      structureTestRunner,
    )
    expect(parity.findings.map((f) => `${f.check} ${f.suite}/${f.key} ${f.allowed}`)).toEqual([
      'suite.regressed content-parity.yaml/File Existence Test: app false',
      'suite.failing-both content-parity.yaml/File Existence Test: sudo true',
      'suite.regressed content-parity.yaml/Command Test: app runs false',
    ])
    const retry = parity.rebuilt.log.split(
      '=== retry 1 of File Existence Test: app, Command Test: app runs\n',
    )[1]
    expect(retry?.match(/^--- .*$/gm)).toEqual([
      '--- File Existence Test: app: fail',
      '--- Command Test: app runs: fail',
    ])
  })
})

describe('onlyStructureTests', () => {
  test('keeps the tests named, for flaky re-runs', () => {
    const suite = structureTest([testdata('content-parity.yaml'), testdata('content-ref.yaml')])
    const only = onlyStructureTests(
      suite,
      new Set(['Command Test: app runs #2', 'File Existence Test: sudo']),
    )
    expect(
      only.tests.map((file) => [
        file.commandTests?.map((t) => t.name),
        file.fileExistenceTests?.map((t) => t.name),
        file.fileContentTests?.map((t) => t.name),
        file.metadataTest === undefined,
        file.licenseTests === undefined,
      ]),
    ).toEqual([
      [['app runs'], ['sudo'], undefined, true, true],
      [['app runs'], [], [], true, true],
    ])
    expect(
      onlyStructureTests(suite, new Set(['Metadata Test'])).tests.map((f) => f.metadataTest !== undefined),
    ).toEqual([true, true])
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
