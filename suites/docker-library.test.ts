import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { execa } from 'execa'
import { afterAll, describe, expect, test } from 'vitest'
import { fixtures } from '../fixtures/images.ts'
import { imgtestMatchers } from '../matchers/index.ts'
import { pair } from '../src/compare/image-pair.ts'
import { SESSION_LABEL, sessionId } from '../src/runtime/session-label.ts'
import { isSuiteArtifact } from '../src/suite/suite-artifact.ts'
import { runSuiteInBoth } from '../src/suite/suite-parity.ts'
import { dockerLibrary } from './docker-library.ts'
import { suites } from './index.ts'

expect.extend(imgtestMatchers)

const checkout = fileURLToPath(new URL('../fixtures/docker-library', import.meta.url))

afterAll(async () => {
  const { stdout } = await execa('docker', ['ps', '-aq', '--filter', `label=${SESSION_LABEL}=${sessionId}`])
  expect(stdout.trim()).toBe('')
})

describe('suites.dockerLibrary', () => {
  test('builds a docker-library suite with absolute paths', () => {
    expect(suites.dockerLibrary).toBe(dockerLibrary)
    expect(dockerLibrary({ checkout: 'vendor/official-images' })).toEqual({
      kind: 'docker-library',
      name: 'docker-library',
      checkout: resolve('vendor/official-images'),
    })
    expect(
      dockerLibrary({
        checkout,
        image: 'python:3.11-slim',
        configs: ['mine.sh'],
        tests: ['utc'],
        keepNamespace: true,
        name: 'official',
        parallel: 4,
        timeoutMs: 60_000,
      }),
    ).toEqual({
      kind: 'docker-library',
      name: 'official',
      checkout,
      image: 'python:3.11-slim',
      configs: [resolve('mine.sh')],
      tests: ['utc'],
      keepNamespace: true,
      parallel: 4,
      timeoutMs: 60_000,
    })
  })

  test('rejects what cannot run, saying what to pass', () => {
    expect(() => dockerLibrary({} as never)).toThrow(
      /needs checkout: the path of a clone of https:\/\/github/,
    )
    expect(() => dockerLibrary({ checkout, image: 'python 3' })).toThrow(
      /image is an official image name such as python:3.11-slim, got "python 3"/,
    )
    expect(() => dockerLibrary({ checkout, tests: [] })).toThrow(/tests is a non-empty array of test names/)
    expect(() => dockerLibrary({ checkout, configs: [''] })).toThrow(
      /configs is a non-empty array of config file paths/,
    )
    expect(() => dockerLibrary({ checkout, timeoutMs: 0 })).toThrow(/timeoutMs must be a positive number/)
    expect(() => dockerLibrary({ checkout, parallel: 0 })).toThrow(/parallel is a whole number of tests/)
    expect(() => dockerLibrary({ checkout, shard: '0/2' })).toThrow(/^suites\.dockerLibrary\(\): shard is/)
  })
})

describe('toPassUpstreamSuite with the docker-library tests (real engine)', () => {
  const web = pair({ upstream: fixtures.webUpstream, rebuilt: fixtures.webHardened })
  // The tests for the official name web-alt:1 (an alias of web), whatever each image's own ref.
  const official = suites.dockerLibrary({ checkout, image: 'web-alt:1', parallel: 2 })

  test('the test passing upstream and failing on rebuilt fails the matcher, named in the table', async ({
    task,
  }) => {
    const error = await expect(web)
      .toPassUpstreamSuite(official)
      .then(
        () => undefined,
        (e: unknown) => e as Error,
      )
    expect(error?.message).toMatch(/1 difference not allowed by the policy/)
    expect(error?.message).toMatch(/suite\.regressed\s+runs-as-root\s+pass\s+fail\s+FAIL/)
    // Failing on both images is shown, and allowed.
    expect(error?.message).toMatch(/suite\.failing-both\s+package-manager\s+fail\s+fail/)
    const recorded = task.artifacts.find(isSuiteArtifact)
    expect(recorded).toMatchObject({
      suite: 'docker-library',
      cases: [
        { name: 'echo-hello', upstream: 'pass', rebuilt: 'pass' },
        { name: 'runs-as-root', upstream: 'pass', rebuilt: 'fail' },
        { name: 'web-serves-index', upstream: 'pass', rebuilt: 'pass' },
        { name: 'package-manager', upstream: 'fail', rebuilt: 'fail' },
      ],
    })
    expect(String(recorded?.attachments?.[1]?.body)).toContain(
      `--- runs-as-root: ${join(checkout, 'test/tests/runs-as-root/run.sh')} ${fixtures.webHardened}`,
    )
  })

  test('a shard runs every n-th chosen test on both images; progress is heard per test', async () => {
    const progress: number[] = []
    const second = suites.dockerLibrary({ checkout, image: 'web-alt:1', shard: '2/2' })
    const parity = await runSuiteInBoth(web, second, { onProgress: (p) => progress.push(p.done) })
    expect(parity.cases.map((c) => c.name)).toEqual(['runs-as-root', 'package-manager'])
    expect(parity.rebuilt.log).toContain('shard 2/2: 2 of 4 tests')
    expect(progress.sort()).toEqual([0, 0, 1, 1, 2, 2])
  })

  test('a known failure allows it; the same image on both sides passes', async () => {
    await expect(web).toPassUpstreamSuite(official, { knownFailures: ['runs-as-root'] })
    await expect(pair({ upstream: fixtures.webHardened, rebuilt: fixtures.webHardened })).toPassUpstreamSuite(
      official,
    )
  })
})
