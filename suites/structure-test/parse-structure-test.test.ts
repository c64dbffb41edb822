import { describe, expect, test } from 'vitest'
import { parseStructureTest } from './parse-structure-test.ts'

const parse = (text: string) => () => parseStructureTest(text, 'cst.yaml')

describe('parseStructureTest', () => {
  test('a valid file comes back as written', () => {
    const file = parseStructureTest(
      "schemaVersion: '2.0.0'\nfileExistenceTests:\n  - name: passwd\n    path: /etc/passwd\n",
      'cst.yaml',
    )
    expect(file).toEqual({
      schemaVersion: '2.0.0',
      fileExistenceTests: [{ name: 'passwd', path: '/etc/passwd' }],
    })
  })

  test('JSON files work too (JSON is YAML), as CST accepts them', () => {
    const json = '{"schemaVersion": "2.0.0", "metadataTest": {"workdir": "/app", "exposedPorts": ["8080"]}}'
    expect(parseStructureTest(json, 'cst.json')).toEqual({
      schemaVersion: '2.0.0',
      metadataTest: { workdir: '/app', exposedPorts: ['8080'] },
    })
    expect(() =>
      parseStructureTest('{"schemaVersion": "2.0.0", "metadataTest": {"wrkdir": "/app"}}', 'cst.json'),
    ).toThrow(
      "unknown key 'wrkdir' at /metadataTest/wrkdir in cst.json (line 1, col 45); expected one of: envVars, env, labels, exposedPorts, unexposedPorts, volumes, unmountedVolumes, entrypoint, cmd, workdir, user (did you mean 'workdir'?)",
    )
  })

  test('a misspelt key: its path, line and the key it probably meant', () => {
    expect(
      parse("schemaVersion: '2.0.0'\ncommandTests:\n  - name: v\n    command: app\n    expectedOuput: [x]\n"),
    ).toThrow(
      "unknown key 'expectedOuput' at /commandTests/0/expectedOuput in cst.yaml (line 5, col 5); expected one of: name, command, args, envVars, setup, teardown, expectedOutput, excludedOutput, expectedError, excludedError, exitCode (did you mean 'expectedOutput'?)",
    )
  })

  test('a missing required key and a wrong type', () => {
    expect(parse("schemaVersion: '2.0.0'\nfileContentTests:\n  - name: x\n")).toThrow(
      /missing key 'path' at \/fileContentTests\/0 in cst\.yaml \(line 3, col 5\)/,
    )
    expect(
      parse("schemaVersion: '2.0.0'\nfileExistenceTests:\n  - name: x\n    path: /x\n    uid: root\n"),
    ).toThrow(
      /wrong type at \/fileExistenceTests\/0\/uid in cst\.yaml \(line 5, col 10\): expected an integer, got a string \("root"\)/,
    )
  })

  test('only schemaVersion 2.0.0', () => {
    expect(parse("schemaVersion: '1.0.0'\n")).toThrow(/invalid value at \/schemaVersion in cst\.yaml/)
    expect(parse('fileExistenceTests: []\n')).toThrow(/missing key 'schemaVersion' at \/ in cst\.yaml/)
  })

  test('bad YAML and a bad regex are config errors naming the file', () => {
    expect(parse("schemaVersion: '2.0.0'\ncommandTests: [\n")).toThrow(
      /^invalid YAML in cst\.yaml \(line \d+, col \d+\)/,
    )
    expect(
      parse(
        "schemaVersion: '2.0.0'\nfileContentTests:\n  - name: x\n    path: /x\n    expectedContents: ['(']\n",
      ),
    ).toThrow(
      expect.objectContaining({
        code: 'IMGTEST_BAD_CONFIG',
        message: expect.stringMatching(/invalid regular expression "\(" in cst\.yaml/),
      }),
    )
  })
})
