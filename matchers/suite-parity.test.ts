import { execa } from 'execa'
import { afterAll, describe, expect, test } from 'vitest'
import { contentVariants, fixtures } from '../fixtures/images.ts'
import { pair } from '../src/compare/image-pair.ts'
import { image } from '../src/image/image-handle.ts'
import { isParityArtifact } from '../src/report/parity-artifact.ts'
import { SESSION_LABEL, sessionId } from '../src/runtime/session-label.ts'
import { isSuiteArtifact } from '../src/suite/suite-artifact.ts'
import { suites } from '../suites/index.ts'
import { imgtestMatchers } from './index.ts'

expect.extend(imgtestMatchers)

const container = { labels: { 'dev.imgtest': '1' } }
const web = pair({ upstream: fixtures.webUpstream, rebuilt: fixtures.webHardened })
const sanity = suites.command(
  [
    { name: 'echo', command: ['echo', 'hi'], expect: { stdout: 'hi' } },
    { name: 'uid', command: ['id', '-u'], expect: { stdout: '0' } },
    { name: 'false', command: ['false'] },
  ],
  { container },
)

afterAll(async () => {
  const { stdout } = await execa('docker', ['ps', '-aq', '--filter', `label=${SESSION_LABEL}=${sessionId}`])
  expect(stdout.trim()).toBe('')
})

describe('toPassUpstreamSuite (real engine)', () => {
  test('an identical pair passes, with the case failing on both shown but allowed', async () => {
    await expect(pair({ upstream: fixtures.webUpstream, rebuilt: fixtures.webUpstream })).toPassUpstreamSuite(
      sanity,
    )
  })

  test('a case passing upstream and failing on rebuilt fails the matcher, named in the table', async ({
    task,
  }) => {
    const error = await expect(web)
      .toPassUpstreamSuite(sanity)
      .then(
        () => undefined,
        (e: unknown) => e as Error,
      )
    expect(error).toBeInstanceOf(Error)
    expect(error?.message).toMatch(/1 difference not allowed by the policy/)
    expect(error?.message).toMatch(/suite\.regressed\s+uid\s+pass\s+fail\s+FAIL/)
    const recorded = task.artifacts.find(isSuiteArtifact)
    expect(recorded).toMatchObject({
      matcher: 'toPassUpstreamSuite',
      suite: 'commands',
      cases: [
        { name: 'echo', upstream: 'pass', rebuilt: 'pass' },
        { name: 'uid', upstream: 'pass', rebuilt: 'fail' },
        { name: 'false', upstream: 'fail', rebuilt: 'fail' },
      ],
      timedOut: { upstream: false, rebuilt: false },
      logs: ['upstream', 'rebuilt'],
    })
    expect(recorded?.attachments?.map((a) => String(a.body).split('\n')[0])).toEqual([
      '# upstream: example/web:1',
      '# rebuilt: example/web-hardened:1',
    ])
    expect(String(recorded?.attachments?.[1]?.body)).toContain('stdout:\n65532\n')
  })

  test('a known failure or a policy allows it', async () => {
    await expect(web).toPassUpstreamSuite(sanity, { knownFailures: ['uid'] })
    await expect(web).toPassUpstreamSuite(sanity, {
      policy: { allow: [{ check: 'suite.regressed', key: 'uid' }] },
    })
  })

  test("the policy's known failures allow a regression in the suite they name, the reason in the report", async ({
    task,
  }) => {
    const regressed = () =>
      task.artifacts
        .filter(isParityArtifact)
        .at(-1)
        ?.findings.find((f) => f.check === 'suite.regressed')
    await expect(web).toPassUpstreamSuite(sanity, {
      policy: { knownFailures: [{ suite: 'comm*', case: 'u?d', reason: 'hardened: runs as 65532' }] },
    })
    expect(regressed()).toMatchObject({
      key: 'uid',
      suite: 'commands',
      allowed: true,
      reason: 'known failure: hardened: runs as 65532',
    })
    // The matcher option is the same mechanism: a known failure without a reason.
    await expect(web).toPassUpstreamSuite(sanity, { knownFailures: ['uid'] })
    expect(regressed()).toMatchObject({ allowed: true, reason: 'known failure' })
    // On a pair, for every suite check of that pair.
    const known = pair({
      upstream: fixtures.webUpstream,
      rebuilt: fixtures.webHardened,
      policy: { knownFailures: [{ case: 'uid', reason: 'non-root' }] },
    })
    await expect(known).toPassUpstreamSuite(sanity)
    // Another suite's known failure allows nothing here; the table names the case.
    const error = await expect(web)
      .toPassUpstreamSuite(sanity, { policy: { knownFailures: [{ suite: 'cpython', case: 'uid' }] } })
      .then(
        () => undefined,
        (e: unknown) => e as Error,
      )
    expect(error?.message).toMatch(/suite\.regressed\s+uid\s+pass\s+fail\s+FAIL/)
    await expect(expect(web).toPassUpstreamSuite(sanity, { knownFailures: [''] })).rejects.toThrow(
      /empty value at \/knownFailures\/0\/case in toPassUpstreamSuite\(\)/,
    )
  })

  test('anything but a pair is a usage error', async () => {
    await expect(expect(web.rebuilt).toPassUpstreamSuite(sanity)).rejects.toThrow(/expects a pair/)
  })
})

describe('toPassSuite (real engine)', () => {
  test("a suite without a budget stops before the test's own timeout, with a clear error and nothing left running", {
    timeout: 8000,
  }, async () => {
    const hang = suites.command([{ name: 'hangs', command: ['sleep', '3600'] }], { container })
    await expect(expect(image(fixtures.webUpstream)).toPassSuite(hang)).rejects.toThrow(
      /suite\.failed\s+hangs\s.*stopped: still running when the suite's timeout of 7200 ms ran out/,
    )
  })

  const passing = suites.command([{ name: 'echo', command: ['echo', 'hi'], expect: { stdout: 'hi' } }], {
    container,
  })

  test('passes when every case passes; fails naming each failing case', async () => {
    await expect(image(fixtures.webHardened)).toPassSuite(passing)
    const error = await expect(web.rebuilt)
      .toPassSuite(sanity)
      .then(
        () => undefined,
        (e: unknown) => e as Error,
      )
    expect(error?.message).toMatch(/2 findings not allowed by the policy/)
    expect(error?.message).toMatch(/suite\.failed\s+uid/)
    expect(error?.message).toMatch(/suite\.failed\s+false/)
  })

  test('known failures of the policy allow failing cases of that suite', async () => {
    await expect(web.rebuilt).toPassSuite(sanity, {
      policy: { knownFailures: [{ suite: 'commands', case: '{uid,false}' }] },
    })
    await expect(
      expect(web.rebuilt).toPassSuite(sanity, { policy: { knownFailures: [{ suite: 'other', case: '*' }] } }),
    ).rejects.toThrow(/2 findings not allowed/)
  })
})

describe('toPassSuite with container-structure-test files', () => {
  const files = (name: string) =>
    new URL(`../suites/structure-test/testdata/${name}`, import.meta.url).pathname

  test('a CST file written for content-ref passes on it, and the mismatch file fails with its findings', async () => {
    await expect(image('imgtest-fixture/content-ref:1')).toPassSuite(
      suites.structureTest(files('content-ref.yaml')),
    )
    await expect(
      expect(image('imgtest-fixture/content-ref:1')).toPassSuite(
        suites.structureTest(files('content-ref-mismatch.yaml')),
      ),
    ).rejects.toThrow(/structure\.file/)
  })
})

describe('toPassUpstreamSuite with container-structure-test files (real engine)', () => {
  const file = new URL('../suites/structure-test/testdata/content-parity.yaml', import.meta.url).pathname
  const removed = contentVariants.find((v) => v.tag.includes('binary-removed'))?.tag as string

  test('each CST test is a case on both images: the ones the rebuilt image breaks regress, named in the failure', async ({
    task,
  }) => {
    const suite = suites.structureTest(file)
    const error = await expect(pair({ upstream: fixtures.contentRef, rebuilt: removed }))
      .toPassUpstreamSuite(suite)
      .then(
        () => undefined,
        (e: unknown) => e as Error,
      )
    expect(error?.message).toMatch(/2 differences not allowed by the policy/)
    expect(error?.message).toMatch(
      /suite\.regressed\s+File Existence Test: app\s+pass\s+fail\s+FAIL\s+case File Existence Test: app passes upstream, fails on rebuilt: file \/usr\/local\/bin\/app: expected to exist/,
    )
    expect(error?.message).toMatch(/suite\.regressed\s+Command Test: app runs\s+pass\s+fail\s+FAIL/)
    expect(error?.message).toMatch(/suite\.failing-both\s+File Existence Test: sudo\s+fail\s+fail\s+allowed/)
    expect(task.artifacts.find(isSuiteArtifact)).toMatchObject({
      matcher: 'toPassUpstreamSuite',
      suite: 'content-parity.yaml',
      cases: [
        { name: 'File Existence Test: app', upstream: 'pass', rebuilt: 'fail' },
        { name: 'File Existence Test: os-release', upstream: 'pass', rebuilt: 'pass' },
        { name: 'File Existence Test: sudo', upstream: 'fail', rebuilt: 'fail' },
        { name: 'Metadata Test', upstream: 'pass', rebuilt: 'pass' },
        { name: 'Command Test: app runs', upstream: 'pass', rebuilt: 'fail' },
        { name: 'Command Test: shell works', upstream: 'pass', rebuilt: 'pass' },
      ],
      logs: ['upstream', 'rebuilt'],
    })
    const rebuiltLog = String(task.artifacts.find(isSuiteArtifact)?.attachments?.[1]?.body)
    expect(rebuiltLog).toContain(
      '--- File Existence Test: app: fail\n  file /usr/local/bin/app: expected to exist',
    )
  })

  test('the same file passes on the identical pair, and a known failure of the policy allows the regressions', async () => {
    const suite = suites.structureTest(file, { name: 'content' })
    await expect(pair({ upstream: fixtures.contentRef, rebuilt: fixtures.contentRef })).toPassUpstreamSuite(
      suite,
    )
    await expect(pair({ upstream: fixtures.contentRef, rebuilt: removed })).toPassUpstreamSuite(suite, {
      policy: { knownFailures: [{ suite: 'content', case: '* Test: app*', reason: 'app dropped' }] },
    })
  })
})
