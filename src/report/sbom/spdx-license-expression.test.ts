import { describe, expect, test } from 'vitest'
import { spdxExceptionId, spdxExpression, spdxLicenseId } from './spdx-license-expression.ts'

describe('spdxLicenseId / spdxExceptionId', () => {
  test('licenses and exceptions come from separate halves of the list, in listed spelling', () => {
    expect(spdxLicenseId('mit')).toBe('MIT')
    expect(spdxLicenseId('ZPL-2.1')).toBe('ZPL-2.1')
    expect(spdxLicenseId('LLVM-exception')).toBeUndefined()
    expect(spdxExceptionId('llvm-exception')).toBe('LLVM-exception')
    expect(spdxExceptionId('Classpath-exception-2.0')).toBe('Classpath-exception-2.0')
    expect(spdxExceptionId('389-exception')).toBe('389-exception')
    expect(spdxExceptionId('MIT')).toBeUndefined()
  })
})

describe('spdxExpression', () => {
  test.each([
    ['MIT', 'MIT'],
    ['mit', 'MIT'],
    ['apache-2.0 or mit', 'Apache-2.0 OR MIT'],
    ['GPL-2.0-or-later WITH Classpath-exception-2.0', 'GPL-2.0-or-later WITH Classpath-exception-2.0'],
    ['(MIT OR BSD-3-Clause) AND  Zlib', '(MIT OR BSD-3-Clause) AND Zlib'],
    ['((MIT))', '((MIT))'],
    ['GPL-2.0+', 'GPL-2.0+'],
    ['LicenseRef-my-license', 'LicenseRef-my-license'],
    ['DocumentRef-other:LicenseRef-x AND MIT', 'DocumentRef-other:LicenseRef-x AND MIT'],
  ])('%s is valid as %s', (input, canonical) => {
    expect(spdxExpression(input)).toBe(canonical)
  })

  test.each([
    '',
    '   ',
    'GPL-2+',
    'BSD',
    'MIT AND',
    'AND MIT',
    '(MIT',
    'MIT)',
    'MIT OR OR Zlib',
    'MIT WITH Zlib',
    'LLVM-exception',
    'Apache-2.0 WITH',
    'MIT Zlib',
    'The MIT License',
  ])('%j is not an SPDX expression', (input) => {
    expect(spdxExpression(input)).toBeUndefined()
  })

  test('refs can be refused for documents that define no extracted licenses', () => {
    expect(spdxExpression('LicenseRef-x', { allowRefs: false })).toBeUndefined()
    expect(spdxExpression('MIT OR LicenseRef-x', { allowRefs: false })).toBeUndefined()
    expect(spdxExpression('MIT', { allowRefs: false })).toBe('MIT')
  })
})
