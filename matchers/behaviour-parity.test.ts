import { execa } from 'execa'
import { afterAll, describe, expect, test } from 'vitest'
import { behaviourFixtures as behave } from '../fixtures/images.ts'
import { pair } from '../src/compare/image-pair.ts'
import { image } from '../src/image/image-handle.ts'
import { scenario } from '../src/runtime/behaviour-scenario.ts'
import { SESSION_LABEL, sessionId } from '../src/runtime/session-label.ts'
import { imgtestMatchers } from './index.ts'

expect.extend(imgtestMatchers)

const container = { labels: { 'dev.imgtest': '1' } }
const same = pair({ upstream: behave.ref, rebuilt: behave.ref })

afterAll(async () => {
  const { stdout } = await execa('docker', ['ps', '-aq', '--filter', `label=${SESSION_LABEL}=${sessionId}`])
  expect(stdout.trim()).toBe('')
})

describe('toBehaveTheSame (real engine)', () => {
  test('passes on an identical pair, fails with the diff on a changed version line', async () => {
    await expect(same).toBehaveTheSame(['info'], { container })
    const error = await expect(pair({ upstream: behave.ref, rebuilt: behave.outputChanged }))
      .toBehaveTheSame(['version'], { container })
      .catch((e: unknown) => e as Error)
    expect(error).toBeInstanceOf(Error)
    expect(error?.message).toMatch(/1 difference not allowed by the policy/)
    expect(error?.message).toMatch(
      /runtime\.command\.stdout\s+version\s+behave 1\.0\.0\\n\s+behave 1\.0\.1\\n\s+FAIL/,
    )
  })

  test('a policy allows the difference', async () => {
    await expect(pair({ upstream: behave.ref, rebuilt: behave.exitChanged })).toBehaveTheSame(['info'], {
      container,
      policy: { allow: [{ check: 'runtime.command.exit', key: 'info' }] },
    })
  })

  test('anything but a pair is a usage error', async () => {
    await expect(expect(behave.ref).toBehaveTheSame(['info'])).rejects.toThrow(
      /toBehaveTheSame\(\) expects a pair/,
    )
  })
})

describe('toServeTheSame (real engine)', () => {
  const requests = [{ path: '/cgi-bin/info' }, { path: '/cgi-bin/hello' }]

  test('passes on an identical pair; .not passes on a changed JSON field', async () => {
    await expect(same).toServeTheSame(requests, { ready: { port: 8080 }, container })
    await expect(pair({ upstream: behave.ref, rebuilt: behave.httpChanged })).not.toServeTheSame(requests, {
      ready: { port: 8080 },
      container,
    })
  })
})

describe('toStopGracefully (real engine)', () => {
  const options = { ready: { port: 8080 }, deadlineMs: 1000, container }

  test('a pair whose rebuilt image ignores SIGTERM fails; one image that stops passes', async () => {
    await expect(
      expect(pair({ upstream: behave.ref, rebuilt: behave.ignoresSigterm })).toStopGracefully(options),
    ).rejects.toThrow(/runtime\.stop\s+SIGTERM\s+\d+ ms\s+killed\s+FAIL/)
    await expect(image(behave.ref)).toStopGracefully(options)
  })

  test('without ready it is a usage error', async () => {
    await expect(expect(same).toStopGracefully({} as never)).rejects.toThrow(
      /toStopGracefully\(\) needs \{ ready \}/,
    )
  })
})

describe('toHaveScenarioParity (real engine)', () => {
  const appWith = (db: string) =>
    scenario({
      services: [
        { name: 'db', image: { upstream: behave.db, rebuilt: db }, ready: { port: 8080 }, container },
        {
          name: 'app',
          image: pair({ upstream: behave.app, rebuilt: behave.app }),
          ready: { port: 8080 },
          container,
        },
      ],
      check: async (env) => (await fetch(env.url('app', 8080, '/cgi-bin/value'))).json(),
    })

  test('passes with the same db, fails with the broken one', async () => {
    await expect(appWith(behave.db)).toHaveScenarioParity()
    await expect(expect(appWith(behave.dbBroken)).toHaveScenarioParity()).rejects.toThrow(
      /scenario db\+app: the check's result differs at \$\.value: 42 upstream, 41 in rebuilt/,
    )
  })
})
