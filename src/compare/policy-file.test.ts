import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { ImgtestError } from '../errors.ts'
import { loadPolicyFile } from './policy-file.ts'

let dir: string

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'imgtest-policy-'))
})

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

async function file(name: string, text: string): Promise<string> {
  const path = join(dir, name)
  await writeFile(path, text)
  return path
}

async function errorOf(path: string): Promise<ImgtestError> {
  const error = await loadPolicyFile(path).then(
    () => undefined,
    (caught: unknown) => caught,
  )
  expect(error).toBeInstanceOf(ImgtestError)
  expect((error as ImgtestError).code).toBe('IMGTEST_BAD_POLICY')
  expect((error as ImgtestError).message).not.toContain('\n')
  return error as ImgtestError
}

describe('loadPolicyFile', () => {
  test('reads YAML', async () => {
    const path = await file(
      'ok.yaml',
      [
        '# expected differences of the hardened web image',
        'allow:',
        '  - check: interface.user',
        '    reason: runs as non-root',
        "  - check: 'interface.labels'",
        "    key: 'org.opencontainers.*'",
        '',
      ].join('\n'),
    )
    expect(await loadPolicyFile(path)).toEqual({
      allow: [
        { check: 'interface.user', reason: 'runs as non-root' },
        { check: 'interface.labels', key: 'org.opencontainers.*' },
      ],
    })
  })

  test('reads .yml and JSON (with a byte-order mark and $schema)', async () => {
    const yml = await file('ok.yml', 'allow: [{ check: size.total }]\n')
    expect(await loadPolicyFile(yml)).toEqual({ allow: [{ check: 'size.total' }] })
    const json = await file(
      'ok.json',
      `\uFEFF${JSON.stringify({ $schema: './policy.schema.json', allow: [{ check: 'interface.*' }] }, null, 2)}`,
    )
    expect(await loadPolicyFile(json)).toEqual({ allow: [{ check: 'interface.*' }] })
  })

  test('an empty YAML file is an empty policy', async () => {
    expect(await loadPolicyFile(await file('empty.yaml', '# nothing expected yet\n'))).toEqual({})
  })

  test('a misspelt key in YAML: file, JSON path, line and column, allowed keys', async () => {
    const path = await file('policy.yaml', 'allow:\n  - check: interface.user\n  - chek: interface.env\n')
    expect((await errorOf(path)).message).toBe(
      `unknown key 'chek' at /allow/1/chek in ${path} (line 3, col 5); expected one of: check, key, suite, reason (did you mean 'check'?)`,
    )
  })

  test('a misspelt key in JSON is located too', async () => {
    const path = await file('policy.json', '{\n  "allow": [\n    { "check": "a", "kee": "b" }\n  ]\n}\n')
    expect((await errorOf(path)).message).toBe(
      `unknown key 'kee' at /allow/0/kee in ${path} (line 3, col 21); expected one of: check, key, suite, reason (did you mean 'key'?)`,
    )
  })

  test('reads known failures; a bad one is located by line and column', async () => {
    const ok = await file(
      'known.yaml',
      ['knownFailures:', '  - suite: cpython', '    case: test_ssl', '    reason: no network in CI', ''].join(
        '\n',
      ),
    )
    expect(await loadPolicyFile(ok)).toEqual({
      knownFailures: [{ suite: 'cpython', case: 'test_ssl', reason: 'no network in CI' }],
    })
    const bad = await file('known-bad.yaml', 'knownFailures:\n  - suite: cpython\n    name: test_ssl\n')
    expect((await errorOf(bad)).message).toBe(
      `unknown key 'name' at /knownFailures/0/name in ${bad} (line 3, col 5); expected one of: suite, case, reason (did you mean 'case'?)`,
    )
    const missing = await file(
      'known-missing.json',
      '{\n  "knownFailures": [\n    { "suite": "cpython" }\n  ]\n}\n',
    )
    expect((await errorOf(missing)).message).toMatch(
      new RegExp(
        `^missing key 'case' at /knownFailures/0 in ${missing} \\(line 3, col 5\\); 'case' is required`,
      ),
    )
  })

  test('a wrong type points at the value', async () => {
    const path = await file('types.yaml', 'allow:\n  - check: 42\n')
    expect((await errorOf(path)).message).toBe(
      `wrong type at /allow/0/check in ${path} (line 2, col 12): expected a string (a check id or glob such as 'interface.user' or 'interface.*'), got a number (42)`,
    )
  })

  test('a missing check points at the rule', async () => {
    const path = await file('missing.yaml', 'allow:\n  - key: PATH\n')
    expect((await errorOf(path)).message).toMatch(
      new RegExp(`^missing key 'check' at /allow/0 in ${path} \\(line 2, col 5\\); 'check' is required`),
    )
  })

  test('a top-level list is the wrong type', async () => {
    const path = await file('list.yaml', '- check: interface.user\n')
    expect((await errorOf(path)).message).toMatch(
      /^wrong type at \/ in .*list\.yaml \(line 1, col 1\): expected an object/,
    )
  })

  test('invalid YAML syntax gives line and column', async () => {
    const path = await file('broken.yaml', 'allow:\n  - check: interface.user\n    key: [unclosed\n')
    const { message } = await errorOf(path)
    expect(message).toMatch(
      new RegExp(`^invalid YAML in ${path} \\(line \\d+, col \\d+\\): .+; fix the syntax$`),
    )
  })

  test('duplicate keys in YAML are a syntax error', async () => {
    const path = await file('dup.yaml', 'allow: []\nallow: []\n')
    expect((await errorOf(path)).message).toMatch(
      /^invalid YAML in .*dup\.yaml \(line 2, col 1\): Map keys must be unique/,
    )
  })

  test('invalid JSON syntax gives line and column', async () => {
    const path = await file('broken.json', '{\n  "allow": [\n    { "check": "a", }\n  ]\n}\n')
    const { message } = await errorOf(path)
    expect(message).toMatch(new RegExp(`^invalid JSON in ${path} \\(line 3, col 21\\): .+; fix the syntax$`))
  })

  test('an empty JSON file is a syntax error', async () => {
    const path = await file('empty.json', '')
    expect((await errorOf(path)).message).toMatch(
      /^invalid JSON in .*empty\.json: Unexpected end of JSON input/,
    )
  })

  test('a missing file, a directory, an unknown extension', async () => {
    const missing = join(dir, 'nope.yaml')
    const error = await errorOf(missing)
    expect(error.message).toBe(`cannot read policy file ${missing}: no such file; check the path`)
    expect((error.cause as NodeJS.ErrnoException).code).toBe('ENOENT')
    const sub = join(dir, 'sub.yaml')
    await mkdir(sub)
    expect((await errorOf(sub)).message).toBe(
      `cannot read policy file ${sub}: it is a directory; check the path`,
    )
    const toml = await file('policy.toml', 'allow = []\n')
    expect((await errorOf(toml)).message).toBe(
      `cannot read policy file ${toml}: unknown extension '.toml'; use .json, .yaml or .yml`,
    )
  })
})

describe('loadPolicyFile: JSON messages that quote the source', () => {
  test('stay on one line and still give a position', async () => {
    const path = await file('quoted.json', '{"allow": [\n}')
    expect((await errorOf(path)).message).toMatch(
      new RegExp(`^invalid JSON in ${path} \\(line \\d+, col \\d+\\): Unexpected token '}'; fix the syntax$`),
    )
  })
})
