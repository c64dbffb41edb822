import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { execa } from 'execa'
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest'
import { fixtures } from '../../fixtures/images.ts'
import { dockerLibrary } from '../../suites/docker-library.ts'
import { SESSION_LABEL, sessionId } from '../runtime/session-label.ts'
import { compareOutcomes } from './compare-outcomes.ts'
import { selectDockerLibraryTests } from './docker-library-config.ts'
import { checkDockerLibraryCheckout, readDockerLibraryConfig } from './read-docker-library-config.ts'
import { runSuite } from './run-suite.ts'

// Real engine and bash on the busybox example pair (upstream runs as root, hardened as 65532),
// with the fixture checkout fixtures/docker-library/ (test/config.sh, test/tests/<name>/run.sh).
const fixture = (path: string) => fileURLToPath(new URL(`../../fixtures/${path}`, import.meta.url))
const checkout = fixture('docker-library')
const extraConfig = fixture('docker-library-extra/config.sh')

afterEach(async () => {
  const label = `label=${SESSION_LABEL}=${sessionId}`
  const containers = await execa('docker', ['ps', '-aq', '--filter', label])
  const networks = await execa('docker', ['network', 'ls', '-q', '--filter', label])
  expect(`${containers.stdout}${networks.stdout}`.trim()).toBe('')
})

describe('the fixture checkout read as test/run.sh reads it (bash)', () => {
  test('config.sh sourced: aliases, image tests, excludes, explicit variants, test paths', async () => {
    const config = await readDockerLibraryConfig('bash', await checkDockerLibraryCheckout(checkout))
    expect(config.globalTests).toEqual(['echo-hello', 'runs-as-root', 'timezone-utc'])
    expect({ ...config.testAlias }).toEqual({ 'web-alt': 'web' })
    expect(config.globalExcludeTests['web_timezone-utc']).toBe('1')
    expect(config.testPaths['web-serves-index']).toBe(join(checkout, 'test/tests/web-serves-index'))
    // Through the alias web-alt gets web's tests, and web's exclude.
    const selection = selectDockerLibraryTests(config, 'web-alt:1')
    expect(selection.testRepo).toBe('web')
    expect(selection.tests.map((t) => t.name)).toEqual([
      'echo-hello',
      'runs-as-root',
      'web-serves-index',
      'package-manager',
    ])
    expect(selection.excluded).toEqual([{ name: 'timezone-utc', key: 'web_timezone-utc' }])
    expect(selectDockerLibraryTests(config, 'busybox:1').tests.map((t) => t.name)).toEqual([
      'echo-hello',
      'runs-as-root',
      'timezone-utc',
    ])
  })

  test('several configs (-c): tests found next to their config first; an unwritten test is an error case', async () => {
    const both = await checkDockerLibraryCheckout(checkout, [join(checkout, 'test/config.sh'), extraConfig])
    const config = await readDockerLibraryConfig('bash', both)
    const selection = selectDockerLibraryTests(config, 'my-web:1')
    expect(selection.tests).toEqual([
      { name: 'echo-hello', dir: join(checkout, 'test/tests/echo-hello') },
      { name: 'runs-as-root', dir: join(checkout, 'test/tests/runs-as-root') },
      { name: 'web-serves-index', dir: join(checkout, 'test/tests/web-serves-index') },
      { name: 'package-manager', dir: join(checkout, 'test/tests/package-manager') },
      { name: 'busybox-applet', dir: fixture('docker-library-extra/tests/busybox-applet') },
      { name: 'not-written-yet' },
    ])
    const run = await runSuite(
      fixtures.webUpstream,
      dockerLibrary({
        checkout,
        configs: [join(checkout, 'test/config.sh'), extraConfig],
        image: 'my-web:1',
        tests: ['busybox-applet', 'not-written-yet'],
      }),
    )
    expect(run.cases).toEqual([
      { name: 'busybox-applet', outcome: 'pass' },
      {
        name: 'not-written-yet',
        outcome: 'error',
        output: `unable to locate test 'not-written-yet': no tests/not-written-yet/ next to ${join(checkout, 'test/config.sh')}, ${extraConfig} nor in ${join(checkout, 'test')}/tests`,
      },
    ])
    // run.sh applies -t before excludes, so timezone-utc is left out by the filter.
    expect(run.log).toContain(
      'not in tests (-t): echo-hello, runs-as-root, timezone-utc, web-serves-index, package-manager',
    )
  })
})

describe('runSuite with a docker-library suite (real engine)', () => {
  const suite = dockerLibrary({ checkout, image: 'web-alt:1', parallel: 2 })

  test('each test is a case: exit code, then stdout against expected-std-out.txt; the log keeps everything', async () => {
    const [upstream, rebuilt] = await Promise.all([
      runSuite(fixtures.webUpstream, suite),
      runSuite(fixtures.webHardened, suite),
    ])
    expect(upstream.cases.map((c) => [c.name, c.outcome])).toEqual([
      ['echo-hello', 'pass'],
      ['runs-as-root', 'pass'],
      ['web-serves-index', 'pass'],
      ['package-manager', 'fail'],
    ])
    expect(upstream.cases[3]?.output).toMatch(/^exit code 127; stderr: .*"apk": executable file not found/)
    // expected-std-out.txt says 0; the hardened image prints its uid.
    expect(rebuilt.cases[1]).toEqual({
      name: 'runs-as-root',
      outcome: 'fail',
      output: 'unexpected output:\n--- expected-std-out.txt\n+++ stdout\n@@ -1 +1 @@\n-0\n+65532',
    })
    expect(compareOutcomes(upstream.cases, rebuilt.cases).map((f) => [f.check, f.key])).toEqual([
      ['suite.regressed', 'runs-as-root'],
      ['suite.failing-both', 'package-manager'],
    ])
    // Each image gets its own ref as $1; the log has every test's command, exit code and output.
    expect(rebuilt.log).toContain(
      `--- runs-as-root: ${join(checkout, 'test/tests/runs-as-root/run.sh')} ${fixtures.webHardened}\nexit 0\nstdout:\n65532\n`,
    )
    expect(rebuilt.log).toContain(
      'tests for web-alt:1 (repo web-alt, tests of web, variant 1): echo-hello, runs-as-root, web-serves-index, package-manager',
    )
    expect(rebuilt.log).toContain('excluded by globalExcludeTests[web_timezone-utc]: timezone-utc')
    expect(upstream.log).toContain('stdout:\nHello from the image\nworking directory: /srv\n')
  })

  test('a hanging test is killed at the timeout with its container; later tests are not run', async () => {
    // web:1-slow is an explicit variant: sleeps-forever, then echo-hello.
    const started = performance.now()
    const run = await runSuite(
      fixtures.webUpstream,
      dockerLibrary({ checkout, image: 'web:1-slow', timeoutMs: 3000 }),
    )
    expect(performance.now() - started).toBeLessThan(20_000)
    expect(run.timedOut).toBe(true)
    expect(run.cases).toEqual([
      {
        name: 'sleeps-forever',
        outcome: 'error',
        output: "stopped: still running when the suite's timeout of 3000 ms ran out",
      },
      { name: 'echo-hello', outcome: 'error', output: 'not run: the suite timed out after 3000 ms' },
    ])
    expect(run.log).toMatch(/removed 1 container\(s\) and network\(s\) the test started/)
    // No process of the test's group survives it.
    const { stdout } = await execa('pgrep', ['-f', `sleeps-forever/run.sh ${fixtures.webUpstream}`], {
      reject: false,
    })
    expect(stdout.trim()).toBe('')
  })
})

describe('bad input: one clear error', () => {
  let scratch: string
  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'imgtest-docker-library-'))
  })
  afterAll(async () => {
    await rm(scratch, { recursive: true, force: true })
  })

  test('a missing checkout, or a directory that is not one', async () => {
    const missing = join(scratch, 'nowhere')
    await expect(runSuite(fixtures.webUpstream, dockerLibrary({ checkout: missing }))).rejects.toThrow(
      `docker-library checkout ${missing} does not exist; clone it there first (git clone https://github.com/docker-library/official-images ${missing}) or point checkout at your clone`,
    )
    await mkdir(join(scratch, 'empty'))
    await expect(
      runSuite(fixtures.webUpstream, dockerLibrary({ checkout: join(scratch, 'empty') })),
    ).rejects.toMatchObject({
      code: 'IMGTEST_USAGE',
      message: expect.stringMatching(
        /empty is not a docker-library official-images checkout: it has no test\/run\.sh/,
      ),
    })
    await expect(
      runSuite(fixtures.webUpstream, dockerLibrary({ checkout: join(checkout, 'test') })),
    ).rejects.toThrow(/has no test\/run\.sh .*point checkout at the root of a clone/)
    await expect(
      runSuite(fixtures.webUpstream, dockerLibrary({ checkout, configs: [join(scratch, 'mine.sh')] })),
    ).rejects.toThrow(`docker-library config ${join(scratch, 'mine.sh')} does not exist or is not a file`)
  })

  test('a config that fails when sourced, an image that is not there, an image no test applies to', async () => {
    const broken = join(scratch, 'broken.sh')
    await writeFile(broken, 'globalTests+=( echo-hello )\nno-such-command-here\n')
    await expect(
      runSuite(fixtures.webUpstream, dockerLibrary({ checkout, configs: [broken] })),
    ).rejects.toMatchObject({
      code: 'IMGTEST_BAD_CONFIG',
      message: expect.stringMatching(
        /broken\.sh with .*bash, as test\/run\.sh does, failed \(exit code 127\): .*no-such-command-here: command not found; fix the config/,
      ),
    })
    await expect(runSuite('imgtest-fixture/not-built:1', dockerLibrary({ checkout }))).rejects.toMatchObject({
      code: 'IMGTEST_IMAGE_NOT_FOUND',
    })
    await expect(
      runSuite(fixtures.webUpstream, dockerLibrary({ checkout, image: 'web:1', tests: ['no-such-test'] })),
    ).rejects.toThrow(
      /no docker-library test applies to web:1 \(repo web, variant 1\) in .* with tests no-such-test/,
    )
  })

  test('bash or the docker CLI not on PATH', async () => {
    const onlyBash = join(scratch, 'bin')
    await mkdir(onlyBash)
    const bash = (await execa('bash', ['-c', 'command -v bash'])).stdout.trim()
    await symlink(bash, join(onlyBash, 'bash'))
    const path = process.env.PATH
    try {
      process.env.PATH = join(scratch, 'no-bin')
      await expect(runSuite(fixtures.webUpstream, dockerLibrary({ checkout }))).rejects.toThrow(
        /runs its test scripts with bash, which is not on PATH .*; install bash 4 or later/,
      )
      process.env.PATH = onlyBash
      await expect(runSuite(fixtures.webUpstream, dockerLibrary({ checkout }))).rejects.toThrow(
        /runs its test scripts with docker, which is not on PATH .*; install the docker CLI/,
      )
    } finally {
      process.env.PATH = path
    }
  })
})
