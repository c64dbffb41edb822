import { execa } from 'execa'
import { afterEach, describe, expect, test } from 'vitest'
import { behaviourFixtures as behave, fixtures } from '../../fixtures/images.ts'
import { runScenario, type ScenarioService, scenario } from './behaviour-scenario.ts'
import { SESSION_LABEL, sessionId } from './session-label.ts'

// Real engine; run `node fixtures/build.ts` first.
const container = { labels: { 'dev.imgtest': '1' } }

// The app asks the db (alias `db`) over the scenario's network; the check asks the app.
function appWithDb(db: ScenarioService['image']) {
  return scenario({
    name: 'app+db',
    services: [
      { name: 'db', image: db, ready: { port: 8080 }, container },
      {
        name: 'app',
        image: { upstream: behave.app, rebuilt: behave.app },
        ready: { port: 8080 },
        container,
      },
    ],
    check: async (env) => {
      const response = await fetch(env.url('app', 8080, '/cgi-bin/value'))
      return { status: response.status, body: await response.json(), side: env.side.length > 0 }
    },
  })
}

afterEach(async () => {
  const session = `label=${SESSION_LABEL}=${sessionId}`
  const containers = await execa('docker', ['ps', '-aq', '--filter', session])
  const networks = await execa('docker', ['network', 'ls', '-q', '--filter', session])
  expect(containers.stdout.trim() + networks.stdout.trim()).toBe('')
})

describe('runScenario (real engine)', () => {
  test('upstream app+db and rebuilt app+db give the same answer', async () => {
    const result = await runScenario(appWithDb({ upstream: behave.db, rebuilt: behave.db }))
    expect(result.upstream).toEqual({ value: { status: 200, body: { value: 42 }, side: true } })
    expect(result.findings).toEqual([])
  })

  test('a broken rebuilt db is caught through the app', async () => {
    const result = await runScenario(appWithDb({ upstream: behave.db, rebuilt: behave.dbBroken }))
    expect(result.findings).toEqual([
      expect.objectContaining({
        check: 'runtime.scenario',
        key: 'app+db',
        message: "scenario app+db: the check's result differs at $.body.value: 42 upstream, 41 in rebuilt",
      }),
    ])
  })

  test('a rebuilt service that never gets ready is a finding with the reason', async () => {
    // content-ref's command prints a line and exits: as a "rebuilt app" it never listens.
    const result = await runScenario(
      scenario({
        services: [
          {
            name: 'db',
            image: { upstream: behave.db, rebuilt: behave.db },
            ready: { port: 8080, timeoutMs: 5000 },
            container,
          },
          {
            name: 'app',
            image: { upstream: behave.app, rebuilt: fixtures.contentRef },
            ready: { port: 8080, timeoutMs: 5000 },
            container,
          },
        ],
        check: (env) => env.service('app').id.length > 0,
      }),
    )
    expect(result.findings).toEqual([
      expect.objectContaining({ check: 'runtime.scenario', key: 'db+app', upstream: true }),
    ])
    expect(result.findings[0]?.message).toMatch(
      /fails with the rebuilt images: container of imgtest-fixture\/content-ref:1 exited with code 0/,
    )
  })

  test('bad definitions are usage errors', () => {
    expect(() => scenario({ services: [], check: () => 1 })).toThrow(/scenario\(\) needs services/)
    expect(() =>
      scenario({
        services: [
          { name: 'a', image: behave.db },
          { name: 'a', image: behave.db },
        ],
        check: () => 1,
      }),
    ).toThrow(/unique names; 'a'/)
  })
})
