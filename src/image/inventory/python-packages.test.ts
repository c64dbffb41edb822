import { describe, expect, test } from 'vitest'
import { fileIndexOf } from '../testdata/file-index-of.ts'
import { readPythonPackages } from './python-packages.ts'

const site = '/usr/local/lib/python3.12/site-packages'

function read(contents: Record<string, string>) {
  const notes: string[] = []
  return { packages: readPythonPackages(fileIndexOf([], { contents }), notes), notes }
}

describe('readPythonPackages', () => {
  test('dist-info METADATA and egg-info PKG-INFO; the description after the headers is not read', () => {
    const { packages, notes } = read({
      [`${site}/PyYAML-6.0.1.dist-info/METADATA`]:
        'Metadata-Version: 2.1\nName: PyYAML\nVersion: 6.0.1\nLicense: MIT\n\nName: not-this\nVersion: 9\n',
      '/usr/lib/python3/dist-packages/six-1.16.0.egg-info/PKG-INFO':
        'Metadata-Version: 1.2\nName: six\nVersion: 1.16.0\nLicense: MIT\n',
      [`${site}/zope.interface-6.2.dist-info/METADATA`]: 'Name: zope.interface\nVersion: 6.2\n',
    })
    expect(notes).toEqual([])
    expect(packages).toEqual([
      {
        ecosystem: 'pypi',
        name: 'six',
        version: '1.16.0',
        license: 'MIT',
        purl: 'pkg:pypi/six@1.16.0',
        foundIn: '/usr/lib/python3/dist-packages/six-1.16.0.egg-info/PKG-INFO',
      },
      {
        ecosystem: 'pypi',
        name: 'PyYAML',
        version: '6.0.1',
        license: 'MIT',
        purl: 'pkg:pypi/pyyaml@6.0.1',
        foundIn: `${site}/PyYAML-6.0.1.dist-info/METADATA`,
      },
      {
        ecosystem: 'pypi',
        name: 'zope.interface',
        version: '6.2',
        purl: 'pkg:pypi/zope.interface@6.2',
        foundIn: `${site}/zope.interface-6.2.dist-info/METADATA`,
      },
    ])
  })

  test('License-Expression wins; a license text or UNKNOWN gives way to classifiers', () => {
    const meta = (headers: string) => `Name: p\nVersion: 1\n${headers}`
    const { packages } = read({
      [`${site}/a-1.dist-info/METADATA`]: meta('License: BSD\nLicense-Expression: MIT OR Apache-2.0\n'),
      [`${site}/b-1.dist-info/METADATA`]: meta(
        'License: Copyright (c) 2024 Someone\n        Permission is hereby granted…\nClassifier: Programming Language :: Python\nClassifier: License :: OSI Approved :: MIT License\n',
      ),
      [`${site}/c-1.dist-info/METADATA`]: meta('License: UNKNOWN\n'),
    })
    expect(packages.map((p) => p.license)).toEqual(['MIT OR Apache-2.0', 'MIT License', undefined])
  })

  test('metadata without Name or Version is skipped with a note', () => {
    const { packages, notes } = read({
      [`${site}/x-1.dist-info/METADATA`]: 'Metadata-Version: 2.1\nVersion: 1\n',
      [`${site}/y-1.dist-info/METADATA`]: '\u0000\u0000',
    })
    expect(packages).toEqual([])
    expect(notes).toEqual([
      `${site}/x-1.dist-info/METADATA: no Name in the metadata; skipped`,
      `${site}/y-1.dist-info/METADATA: no Name in the metadata; skipped`,
    ])
  })
})
