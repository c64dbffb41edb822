import { describe, expect, test } from 'vitest'
import { checkHealthcheck } from './healthcheck-check.ts'

const S = 1e9

describe('checkHealthcheck', () => {
  test('none, [] and NONE all mean no healthcheck', () => {
    expect(checkHealthcheck(undefined, { Test: ['NONE'] })).toEqual([])
    expect(checkHealthcheck({ Test: [] }, undefined)).toEqual([])
  })

  test('unset or 0 timings equal the engine defaults', () => {
    const test = ['CMD', '/health']
    expect(
      checkHealthcheck(
        { Test: test },
        { Test: test, Interval: 30 * S, Timeout: 0, StartPeriod: 0, StartInterval: 5 * S, Retries: 3 },
      ),
    ).toEqual([])
  })

  test('healthcheck dropped in rebuilt', () => {
    expect(
      checkHealthcheck({ Test: ['CMD-SHELL', 'curl -f http://localhost/'] }, { Test: ['NONE'] }),
    ).toEqual([
      {
        check: 'interface.healthcheck',
        key: 'Test',
        upstream: ['CMD-SHELL', 'curl -f http://localhost/'],
        rebuilt: ['NONE'],
        allowed: false,
        message: 'HEALTHCHECK shell form (CMD-SHELL curl -f http://localhost/) set upstream, none in rebuilt',
      },
    ])
  })

  test('healthcheck added in rebuilt', () => {
    expect(checkHealthcheck(undefined, { Test: ['CMD', '/health'] })[0]?.message).toBe(
      'HEALTHCHECK exec form (CMD ["/health"]) set in rebuilt, none upstream',
    )
  })

  test('a changed test shows both forms', () => {
    const [finding] = checkHealthcheck(
      { Test: ['CMD-SHELL', 'wget -q localhost'] },
      { Test: ['CMD', '/probe'] },
    )
    expect(finding?.key).toBe('Test')
    expect(finding?.message).toBe(
      'HEALTHCHECK test differs: upstream shell form (CMD-SHELL wget -q localhost), rebuilt exec form (CMD ["/probe"])',
    )
  })

  test('each changed timing is its own finding, keyed by field', () => {
    const findings = checkHealthcheck(
      { Test: ['CMD', 'x'], Interval: 10 * S, Retries: 5 },
      { Test: ['CMD', 'x'], Interval: 90 * S, StartPeriod: 1.5 * S },
    )
    expect(findings.map((f) => [f.key, f.message])).toEqual([
      ['Interval', 'HEALTHCHECK Interval is 10s upstream, 90s in rebuilt'],
      ['StartPeriod', 'HEALTHCHECK StartPeriod is 0ms (default) upstream, 1.5s in rebuilt'],
      ['Retries', 'HEALTHCHECK Retries is 5 upstream, 3 (default) in rebuilt'],
    ])
    expect(findings[0]).toMatchObject({ upstream: 10 * S, rebuilt: 90 * S })
  })
})
