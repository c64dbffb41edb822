import { describe, expect, test } from 'vitest'
import { fileIndexOf } from '../testdata/file-index-of.ts'
import { readApkPackages } from './apk-packages.ts'

// Two records as apk writes them (checksums shortened), files listed with F:/R:/a:/Z:.
const installed = `C:Q1Ad2qyKEdGNxJsHTUFMuQpxqZMrU=
P:musl
V:1.2.4_git20230717-r4
A:x86_64
S:407278
I:663552
T:the musl c library (libc) implementation
U:https://musl.libc.org/
L:MIT
o:musl
m:Timo Teräs <timo.teras@iki.fi>
t:1705932785
c:ca7f2ab5e88794e4e654b40776f8a92256f50639
p:so:libc.musl-x86_64.so.1=1
F:lib
R:ld-musl-x86_64.so.1
a:0:0:755
Z:Q1hBbJ5XGLOPGe/oXKRlwZSqBdQSE=
R:libc.musl-x86_64.so.1
a:0:0:777
Z:Q17yJ3JFNypA4mxhJJr0ou6CzsJVI=

C:Q1W1BKeVbkrhnPWu7u3hQ0Z0e9Zp4=
P:ca-certificates-bundle
V:20240226-r0
A:x86_64
L:MPL-2.0 AND MIT
o:ca-certificates
F:etc/ssl/certs
R:ca-certificates.crt

`

describe('readApkPackages', () => {
  test('P:, V:, A:, L:, o: of each record; file lines ignored', () => {
    const notes: string[] = []
    const packages = readApkPackages(
      fileIndexOf([], { contents: { '/lib/apk/db/installed': installed } }),
      { id: 'alpine', versionId: '3.19.1' },
      notes,
    )
    expect(notes).toEqual([])
    expect(packages).toEqual([
      {
        ecosystem: 'apk',
        name: 'musl',
        version: '1.2.4_git20230717-r4',
        arch: 'x86_64',
        source: 'musl',
        license: 'MIT',
        purl: 'pkg:apk/alpine/musl@1.2.4_git20230717-r4?arch=x86_64&distro=alpine-3.19.1',
        foundIn: '/lib/apk/db/installed',
      },
      {
        ecosystem: 'apk',
        name: 'ca-certificates-bundle',
        version: '20240226-r0',
        arch: 'x86_64',
        source: 'ca-certificates',
        license: 'MPL-2.0 AND MIT',
        purl: 'pkg:apk/alpine/ca-certificates-bundle@20240226-r0?arch=x86_64&distro=alpine-3.19.1',
        foundIn: '/lib/apk/db/installed',
      },
    ])
  })

  test('Wolfi names its own namespace; no os-release falls back to alpine without distro', () => {
    const index = fileIndexOf([], { contents: { '/lib/apk/db/installed': installed } })
    expect(readApkPackages(index, { id: 'wolfi' }, [])[0]?.purl).toBe(
      'pkg:apk/wolfi/musl@1.2.4_git20230717-r4?arch=x86_64',
    )
    expect(readApkPackages(index, undefined, [])[0]?.purl).toBe(
      'pkg:apk/alpine/musl@1.2.4_git20230717-r4?arch=x86_64',
    )
  })

  test('a record without V:, and a stray line, are skipped with notes', () => {
    const notes: string[] = []
    const text = 'P:broken\nA:x86_64\n\nnonsense\nP:ok\nV:1.0-r0\n'
    const packages = readApkPackages(
      fileIndexOf([], { contents: { '/lib/apk/db/installed': text } }),
      undefined,
      notes,
    )
    expect(packages.map((p) => p.name)).toEqual(['ok'])
    expect(notes).toEqual([
      '/lib/apk/db/installed: line 4: not an "X:value" line: "nonsense"; line skipped',
      '/lib/apk/db/installed line 1: package record without V:; skipped',
    ])
  })

  test('no database, no packages', () => {
    expect(readApkPackages(fileIndexOf([]), undefined, [])).toEqual([])
  })
})
