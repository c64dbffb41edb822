import { describe, expect, test } from 'vitest'
import { checkEnv, comparePath, pathDirectories } from './env-check.ts'

describe('checkEnv', () => {
  test('the same variables in another order give no finding', () => {
    expect(checkEnv(['A=1', 'B=2', 'PATH=/usr/bin:/bin'], ['PATH=/usr/bin:/bin', 'B=2', 'A=1'])).toEqual([])
  })

  test('unset on both sides and empty lists are equal', () => {
    expect(checkEnv(undefined, [])).toEqual([])
  })

  test('one finding per removed, added and changed variable, keyed by name, sorted', () => {
    const findings = checkEnv(['KEEP=1', 'GONE=x', 'LANG=C.UTF-8'], ['LANG=en_US.UTF-8', 'NEW=y', 'KEEP=1'])
    expect(findings).toEqual([
      {
        check: 'interface.env',
        key: 'GONE',
        upstream: 'x',
        allowed: false,
        message: 'ENV GONE="x" set upstream, not set in rebuilt',
      },
      {
        check: 'interface.env',
        key: 'LANG',
        upstream: 'C.UTF-8',
        rebuilt: 'en_US.UTF-8',
        allowed: false,
        message: 'ENV LANG is "C.UTF-8" upstream, "en_US.UTF-8" in rebuilt',
      },
      {
        check: 'interface.env',
        key: 'NEW',
        rebuilt: 'y',
        allowed: false,
        message: 'ENV NEW="y" set in rebuilt, not set upstream',
      },
    ])
  })

  test('a value containing = is kept whole, and the last duplicate wins', () => {
    expect(checkEnv(['OPTS=a=b', 'X=1', 'X=2'], ['OPTS=a=b', 'X=2'])).toEqual([])
    expect(checkEnv(['X=1', 'X=2'], ['X=1'])[0]).toMatchObject({ key: 'X', upstream: '2', rebuilt: '1' })
  })

  test('a variable set to empty differs from one unset', () => {
    expect(checkEnv(['DEBUG='], [])).toEqual([
      expect.objectContaining({
        key: 'DEBUG',
        upstream: '',
        message: 'ENV DEBUG="" set upstream, not set in rebuilt',
      }),
    ])
  })

  test('PATH removed entirely is an ordinary removal', () => {
    expect(checkEnv(['PATH=/bin'], [])[0]?.message).toBe('ENV PATH="/bin" set upstream, not set in rebuilt')
  })

  test('PATH that lacks directories names them, with both full values in the finding', () => {
    const findings = checkEnv(
      ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
      ['PATH=/usr/local/bin:/usr/bin:/bin'],
    )
    expect(findings).toEqual([
      {
        check: 'interface.env',
        key: 'PATH',
        upstream: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
        rebuilt: '/usr/local/bin:/usr/bin:/bin',
        allowed: false,
        message: 'ENV PATH: rebuilt lacks /usr/local/sbin, /usr/sbin, /sbin (upstream has them)',
      },
    ])
  })

  test('PATH that only reorders is a finding, since lookup order picks the binary', () => {
    const [finding] = checkEnv(['PATH=/usr/local/bin:/usr/bin'], ['PATH=/usr/bin:/usr/local/bin'])
    expect(finding?.key).toBe('PATH')
    expect(finding?.message).toBe(
      'ENV PATH: the same directories are searched in a different order (upstream /usr/local/bin:/usr/bin, ' +
        'rebuilt /usr/bin:/usr/local/bin), which changes which binary a name runs',
    )
  })
})

describe('comparePath', () => {
  test('additions are reported', () => {
    expect(comparePath('/usr/bin:/bin', '/opt/app/bin:/usr/bin:/bin')).toBe(
      'ENV PATH: rebuilt adds /opt/app/bin',
    )
  })

  test('removal, addition and reorder together', () => {
    expect(comparePath('/a:/b:/c', '/b:/a:/d')).toBe(
      'ENV PATH: rebuilt lacks /c (upstream has it); rebuilt adds /d; the shared directories are searched in a ' +
        'different order (upstream /a:/b, rebuilt /b:/a), which changes which binary a name runs',
    )
  })

  test('duplicates and trailing slashes change no lookup, so they are no difference', () => {
    expect(comparePath('/usr/bin:/bin', '/usr/bin/:/bin:/usr/bin')).toBeUndefined()
  })

  test('an empty entry means the current directory, like .', () => {
    expect(pathDirectories('/bin::/usr/bin')).toEqual(['/bin', '.', '/usr/bin'])
    expect(comparePath('/bin:.', '/bin:')).toBeUndefined()
    expect(comparePath('/bin:', '/bin')).toBe('ENV PATH: rebuilt lacks . (upstream has it)')
  })
})
