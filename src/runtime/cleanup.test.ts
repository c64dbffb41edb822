import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { execa } from 'execa'
import { describe, expect, test } from 'vitest'
import { leftovers, startChild } from './testdata/start-cleanup-child.ts'

// A child node process starts a network and containers, then gets a signal mid-run (one start is
// still waiting for readiness). Whatever it created must be gone afterwards, checked with the
// docker CLI by the child's session label.
describe('cleanup on signals', () => {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    test(`${signal} mid-run: no container, network or temp dir of the run is left, and the process dies of the signal`, async () => {
      const { run, label, dir } = await startChild()
      expect(existsSync(dir)).toBe(true)
      run.kill(signal)
      const result = await run
      expect(result.signal).toBe(signal)
      expect(await leftovers(label)).toEqual({ containers: [], networks: [] })
      expect(existsSync(dir)).toBe(false)
    })
  }
})

describe('Ctrl-C during a vitest run', () => {
  test('SIGINT to the whole process group (as a terminal sends it) leaves no container and no network', async () => {
    const project = new URL('./testdata/ctrl-c-project/', import.meta.url).pathname
    const run = `run-${randomBytes(4).toString('hex')}`
    const vitest = execa(
      process.execPath,
      [new URL('../../node_modules/vitest/vitest.mjs', import.meta.url).pathname, 'run'],
      {
        cwd: project,
        // A clean environment: vitest's own variables (VITEST_POOL_ID, …) would make it a nested run.
        env: { ...withoutVitest(process.env), CTRL_C_RUN: run },
        extendEnv: false,
        detached: true,
        reject: false,
      },
    )
    await new Promise<void>((resolve, reject) => {
      let output = ''
      vitest.stdout?.on('data', (chunk: Buffer) => {
        output += chunk.toString()
        if (output.includes('STARTED')) resolve()
      })
      void vitest.then((result) =>
        reject(new Error(`vitest ended early: ${result.stdout}\n${result.stderr}`)),
      )
    })
    const label = `dev.imgtest.ctrl-c=${run}`
    // Wait until the second start has created its container: the signal comes mid-start.
    for (;;) {
      if ((await leftovers(label)).containers.length === 2) break
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    const network = await execa('docker', ['ps', '--filter', `label=${label}`, '--format', '{{.Networks}}'])
    const networkName = network.stdout.split('\n').find((name) => name.startsWith('imgtest-')) ?? ''
    expect(networkName).not.toBe('')
    process.kill(-(vitest.pid ?? 0), 'SIGINT')
    await vitest
    // vitest exits at once and its watchdog SIGKILLs the worker, but the worker's handler has
    // already handed the removal to a child process, which finishes it: wait for that.
    const gone = async () =>
      (await leftovers(label)).containers.length === 0 &&
      (await execa('docker', ['network', 'ls', '-q', '--filter', `name=${networkName}`])).stdout === ''
    for (let attempt = 0; attempt < 200 && !(await gone()); attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
    expect((await leftovers(label)).containers).toEqual([])
    const networks = await execa('docker', ['network', 'ls', '-q', '--filter', `name=${networkName}`])
    expect(networks.stdout).toBe('')
  })
})

function withoutVitest(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([key]) => !/^(VITEST|TINYPOOL)|^NODE_ENV$/.test(key)))
}
