import { describe, expect, test } from 'vitest'
import { fileIndexOf } from '../testdata/file-index-of.ts'
import { readNpmPackages } from './npm-packages.ts'

function read(contents: Record<string, string>) {
  const notes: string[] = []
  return { packages: readNpmPackages(fileIndexOf([], { contents }), notes), notes }
}

describe('readNpmPackages', () => {
  test('plain, scoped and nested packages; license in its three spellings', () => {
    const { packages, notes } = read({
      '/app/node_modules/express/package.json': JSON.stringify({
        name: 'express',
        version: '4.19.2',
        license: 'MIT',
      }),
      '/app/node_modules/@babel/core/package.json': JSON.stringify({
        name: '@babel/core',
        version: '7.24.0',
        license: { type: 'MIT' },
      }),
      '/app/node_modules/express/node_modules/debug/package.json': JSON.stringify({
        name: 'debug',
        version: '2.6.9',
        licenses: [{ type: 'MIT' }, { type: 'Apache-2.0' }],
      }),
    })
    expect(notes).toEqual([])
    expect(packages).toEqual([
      {
        ecosystem: 'npm',
        name: '@babel/core',
        version: '7.24.0',
        license: 'MIT',
        purl: 'pkg:npm/%40babel/core@7.24.0',
        foundIn: '/app/node_modules/@babel/core/package.json',
      },
      {
        ecosystem: 'npm',
        name: 'debug',
        version: '2.6.9',
        license: 'MIT OR Apache-2.0',
        purl: 'pkg:npm/debug@2.6.9',
        foundIn: '/app/node_modules/express/node_modules/debug/package.json',
      },
      {
        ecosystem: 'npm',
        name: 'express',
        version: '4.19.2',
        license: 'MIT',
        purl: 'pkg:npm/express@4.19.2',
        foundIn: '/app/node_modules/express/package.json',
      },
    ])
  })

  test('files that are not a package root are not read', () => {
    const { packages } = read({
      '/app/package.json': '{"name":"app","version":"1.0.0"}',
      '/app/node_modules/@babel/package.json': '{"name":"x","version":"1.0.0"}',
    })
    expect(packages).toEqual([])
  })

  test('bad JSON, a non-object and a missing version are skipped with notes', () => {
    const { packages, notes } = read({
      '/n/node_modules/a/package.json': '{"name": "a", ',
      '/n/node_modules/b/package.json': '[1, 2]',
      '/n/node_modules/c/package.json': '{"name": "c"}',
    })
    expect(packages).toEqual([])
    expect(notes).toHaveLength(3)
    expect(notes[0]).toMatch(/^\/n\/node_modules\/a\/package.json: not valid JSON \(.+\); skipped$/)
    expect(notes.slice(1)).toEqual([
      '/n/node_modules/b/package.json: not a JSON object; skipped',
      '/n/node_modules/c/package.json: no string "name" and "version"; skipped',
    ])
  })
})
