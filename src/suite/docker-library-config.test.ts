import { describe, expect, test } from 'vitest'
import {
  type DockerLibraryConfig,
  imageParts,
  parseConfigDump,
  selectDockerLibraryTests,
} from './docker-library-config.ts'
import { dockerShimScript } from './docker-shim.ts'
import { judgeDockerLibraryTest } from './run-docker-library.ts'

// A slice of official-images' test/config.sh, as readDockerLibraryConfig returns it.
const config: DockerLibraryConfig = {
  globalTests: ['utc', 'no-hard-coded-passwords', 'override-cmd'],
  testAlias: { pypy: 'python', jruby: 'ruby', 'eclipse-temurin': 'openjdk' },
  imageTests: {
    ':onbuild': '\n\toverride-cmd\n',
    python: '\n\t\tpython-imports\n\t\tpython-no-pyc\n\t',
    'php:fpm': ' php-fpm-hello-web ',
    php: 'php-hello-world',
    openjdk: 'java-hello-world java-uimanager-font',
    'eclipse-temurin': 'temurin-only',
    'eclipse-temurin:alpine': 'temurin-alpine-only',
    'myorg/python': 'myorg-python-only',
  },
  globalExcludeTests: {
    'hello-world_utc': '1',
    'openjdk:alpine_java-uimanager-font': '1',
    ':nanoserver_utc': '1',
  },
  explicitTests: { ':onbuild': '1' },
  testPaths: {
    utc: '/oi/test/tests/utc',
    'no-hard-coded-passwords': '/oi/test/tests/no-hard-coded-passwords',
    'override-cmd': '/oi/test/tests/override-cmd',
    'python-imports': '/oi/test/tests/python-imports',
    'java-hello-world': '/oi/test/tests/java-hello-world',
    'java-uimanager-font': '/oi/test/tests/java-uimanager-font',
    'temurin-only': '/oi/test/tests/temurin-only',
    'temurin-alpine-only': '/mine/tests/temurin-alpine-only',
  },
}
const names = (image: string, options = {}) =>
  selectDockerLibraryTests(config, image, options).tests.map((t) => t.name)

describe('imageParts (run.sh: repo up to the last colon, tag after the first, variant after the last dash)', () => {
  test.each([
    ['python:3.11-slim', 'python', '3.11-slim', 'slim'],
    ['python:3.11', 'python', '3.11', '3.11'],
    ['library/python:3', 'library/python', '3', '3'],
    ['maven:onbuild-alpine', 'maven', 'onbuild-alpine', 'onbuild'],
    ['php:8-fpm-alpine', 'php', '8-fpm-alpine', 'fpm'],
    // No tag: bash's ${x%:*} and ${x#*:} leave the whole name.
    ['busybox', 'busybox', 'busybox', 'busybox'],
    ['localhost:5000/python:3', 'localhost:5000/python', '5000/python:3', '5000/python:3'],
  ])('%s', (image, repo, tag, variant) => {
    expect(imageParts(image)).toEqual({ repo, tag, variant })
  })
})

describe('selectDockerLibraryTests (run.sh selection)', () => {
  test('global tests, then the repo tests, each with its directory', () => {
    const selection = selectDockerLibraryTests(config, 'python:3.11-slim')
    expect(selection).toMatchObject({ repo: 'python', testRepo: 'python', variant: 'slim', explicit: false })
    expect(selection.tests).toEqual([
      { name: 'utc', dir: '/oi/test/tests/utc' },
      { name: 'no-hard-coded-passwords', dir: '/oi/test/tests/no-hard-coded-passwords' },
      { name: 'override-cmd', dir: '/oi/test/tests/override-cmd' },
      { name: 'python-imports', dir: '/oi/test/tests/python-imports' },
      // Listed in config.sh but no directory anywhere: run.sh's "unable to locate test".
      { name: 'python-no-pyc' },
    ])
  })

  test('an alias runs the aliased repo tests, then its own; the namespace is dropped first', () => {
    expect(names('pypy:3')).toEqual([
      'utc',
      'no-hard-coded-passwords',
      'override-cmd',
      'python-imports',
      'python-no-pyc',
    ])
    expect(selectDockerLibraryTests(config, 'pypy:3').testRepo).toBe('python')
    expect(names('eclipse-temurin:21-alpine')).toEqual([
      'utc',
      'no-hard-coded-passwords',
      'override-cmd',
      'java-hello-world',
      // java-uimanager-font: excluded by [openjdk:alpine_java-uimanager-font]
      'temurin-only',
      'temurin-alpine-only',
    ])
    expect(selectDockerLibraryTests(config, 'eclipse-temurin:21-alpine').excluded).toEqual([
      { name: 'java-uimanager-font', key: 'openjdk:alpine_java-uimanager-font' },
    ])
    // The alias is looked up by the full repo: a namespaced pypy is not aliased.
    expect(names('myorg/pypy:3')).toEqual(['utc', 'no-hard-coded-passwords', 'override-cmd'])
  })

  test('a rebuilt image named by its own ref gets no repo tests: why the image option exists', () => {
    expect(names('registry.example/myorg/python-hardened:3.11')).toEqual([
      'utc',
      'no-hard-coded-passwords',
      'override-cmd',
    ])
  })

  test('excludes by repo, repo:variant and :variant', () => {
    const helloWorld = selectDockerLibraryTests(config, 'hello-world:latest')
    expect(helloWorld.tests.map((t) => t.name)).toEqual(['no-hard-coded-passwords', 'override-cmd'])
    expect(helloWorld.excluded).toEqual([{ name: 'utc', key: 'hello-world_utc' }])
    expect(names('mcr/anything:ltsc2022-nanoserver')).toEqual(['no-hard-coded-passwords', 'override-cmd'])
  })

  test('an explicit variant runs only the tests listed for variants', () => {
    const onbuild = selectDockerLibraryTests(config, 'python:3-onbuild')
    expect(onbuild.explicit).toBe(true)
    expect(onbuild.tests.map((t) => t.name)).toEqual(['override-cmd'])
    expect(names('php:8-fpm-alpine')).toEqual([
      'utc',
      'no-hard-coded-passwords',
      'override-cmd',
      'php-hello-world',
      'php-fpm-hello-web',
    ])
  })

  test('tests (-t) keeps only the named ones; keepNamespace keeps the namespace in the test repo', () => {
    const only = selectDockerLibraryTests(config, 'python:3', { tests: ['utc', 'python-imports'] })
    expect(only.tests.map((t) => t.name)).toEqual(['utc', 'python-imports'])
    expect(only.filtered).toEqual(['no-hard-coded-passwords', 'override-cmd', 'python-no-pyc'])
    // The namespace dropped, python's tests apply, and (repo differing) the namespaced repo's too.
    expect(names('myorg/python:3').slice(3)).toEqual(['python-imports', 'python-no-pyc', 'myorg-python-only'])
    expect(names('myorg/python:3', { keepNamespace: true }).slice(3)).toEqual(['myorg-python-only'])
  })

  test('a name listed twice is one case', () => {
    const twice = { ...config, imageTests: { ...config.imageTests, busybox: 'utc utc extra' } }
    expect(selectDockerLibraryTests(twice, 'busybox:1').tests.map((t) => t.name)).toEqual([
      'utc',
      'no-hard-coded-passwords',
      'override-cmd',
      'extra',
    ])
  })
})

describe('parseConfigDump', () => {
  test('NUL-separated triples; global tests in index order; any key is an ordinary key', () => {
    const dump = [
      ['globalTests', '1', 'b'],
      ['globalTests', '0', 'a'],
      ['testAlias', 'pypy', 'python'],
      ['imageTests', 'python', '\n\tpython-imports\n'],
      ['globalExcludeTests', '__proto__', '1'],
      ['explicitTests', ':onbuild', '1'],
      ['testPaths', 'a', '/t/tests/a'],
    ]
      .map((triple) => `${triple.join('\0')}\0`)
      .join('')
    const parsed = parseConfigDump(dump)
    expect(parsed.globalTests).toEqual(['a', 'b'])
    expect({ ...parsed.testAlias }).toEqual({ pypy: 'python' })
    expect(parsed.imageTests.python).toBe('\n\tpython-imports\n')
    expect(Object.keys(parsed.globalExcludeTests)).toEqual(['__proto__'])
    expect(parsed.explicitTests[':onbuild']).toBe('1')
    expect(parsed.testPaths.a).toBe('/t/tests/a')
    expect(selectDockerLibraryTests(parsed, 'constructor:1').tests.map((t) => t.name)).toEqual(['a', 'b'])
  })
})

describe('judgeDockerLibraryTest (run.sh: exit 0, then stdout as `echo "$(run.sh)"` against expected-std-out.txt)', () => {
  const ok = (stdout: string) => ({ exitCode: 0, stdout, stderr: '' })

  test('exit code 0 passes when there is no expected output', () => {
    expect(judgeDockerLibraryTest('t', ok('anything'))).toEqual({ name: 't', outcome: 'pass' })
  })

  test('trailing newlines are dropped and one added, as command substitution and echo do', () => {
    expect(judgeDockerLibraryTest('utc', ok('UTC\n\n\n'), 'UTC\n').outcome).toBe('pass')
    expect(judgeDockerLibraryTest('utc', ok('UTC'), 'UTC\n').outcome).toBe('pass')
    // An expected file without its final newline never matches, as with diff -u.
    expect(judgeDockerLibraryTest('utc', ok('UTC\n'), 'UTC').outcome).toBe('fail')
    expect(judgeDockerLibraryTest('empty', ok(''), '\n').outcome).toBe('pass')
  })

  test('other output fails with a short diff of expected against actual', () => {
    expect(judgeDockerLibraryTest('utc', ok('EDT\n'), 'UTC\n')).toEqual({
      name: 'utc',
      outcome: 'fail',
      output: 'unexpected output:\n--- expected-std-out.txt\n+++ stdout\n@@ -1 +1 @@\n-UTC\n+EDT',
    })
  })

  test('a non-zero exit fails with its stderr, whatever it printed', () => {
    expect(judgeDockerLibraryTest('t', { exitCode: 1, stdout: 'UTC\n', stderr: 'boom\n' }, 'UTC\n')).toEqual({
      name: 't',
      outcome: 'fail',
      output: 'exit code 1; stderr: boom',
    })
    expect(judgeDockerLibraryTest('t', { stdout: '', stderr: '' }).output).toBe('killed by a signal')
  })
})

describe('dockerShimScript', () => {
  test('labels run, create, container run|create and network create; quotes label values', () => {
    const script = dockerShimScript('/usr/bin/bash', '/usr/bin/docker', { 'dev.imgtest.owner': "it's" })
    expect(script.startsWith('#!/usr/bin/bash\n')).toBe(true)
    expect(script).toContain(
      `labels=(--label 'dev.imgtest.owner=it'\\''s' --label "dev.imgtest.suite-case=\${IMGTEST_SUITE_CASE:-}")`,
    )
    expect(script).toContain(`exec '/usr/bin/docker' "\${args[@]:0:at}" "\${labels[@]}" "\${args[@]:at}"`)
    expect(script).toMatch(/run\|create\) at=/)
  })
})
