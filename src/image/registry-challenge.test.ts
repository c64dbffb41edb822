import { describe, expect, test } from 'vitest'
import { parseAuthChallenges } from './registry-challenge.ts'

describe('parseAuthChallenges', () => {
  test('reads a Docker Hub bearer challenge', () => {
    const header =
      'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/busybox:pull"'
    expect(parseAuthChallenges(header)).toEqual([
      {
        scheme: 'bearer',
        params: {
          realm: 'https://auth.docker.io/token',
          service: 'registry.docker.io',
          scope: 'repository:library/busybox:pull',
        },
      },
    ])
  })

  test('keeps commas inside quoted values and unescapes quotes', () => {
    const header =
      'Bearer realm="http://127.0.0.1:9/token",scope="repository:a:pull,push",error="say \\"no\\""'
    expect(parseAuthChallenges(header)[0]?.params).toEqual({
      realm: 'http://127.0.0.1:9/token',
      scope: 'repository:a:pull,push',
      error: 'say "no"',
    })
  })

  test('reads a basic challenge with spaces and mixed case', () => {
    expect(parseAuthChallenges('  BASIC  Realm = "basic-realm" ')).toEqual([
      { scheme: 'basic', params: { realm: 'basic-realm' } },
    ])
  })

  test('splits several challenges in one header', () => {
    const header = 'Basic realm="a, b", Bearer realm="https://x/token", service=reg'
    expect(parseAuthChallenges(header)).toEqual([
      { scheme: 'basic', params: { realm: 'a, b' } },
      { scheme: 'bearer', params: { realm: 'https://x/token', service: 'reg' } },
    ])
  })

  test('reads a scheme without parameters and a token68 credential', () => {
    expect(parseAuthChallenges('Negotiate abc==, Basic')).toEqual([
      { scheme: 'negotiate', params: { token68: 'abc==' } },
      { scheme: 'basic', params: {} },
    ])
  })

  test('returns nothing for an empty header', () => {
    expect(parseAuthChallenges('')).toEqual([])
  })
})
