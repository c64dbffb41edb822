import { rm } from 'node:fs/promises'
import { hostname } from 'node:os'
import { execa } from 'execa'
import { describe, expect, test } from 'vitest'
import { fixtures } from '../../fixtures/images.ts'
import { OWNER_LABEL } from '../runtime/owner-label.ts'
import { SESSION_LABEL, sessionId } from '../runtime/session-label.ts'
import { startChild } from '../runtime/testdata/start-cleanup-child.ts'

// `imgtest prune` after a run killed with SIGKILL (no handler can run): what it left is listed by
// --dry-run, then removed; resources of live imgtest processes are kept.
const prune = (args: string[]) =>
  execa(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `const { pruneCommand } = await import(${JSON.stringify(new URL('./prune-command.ts', import.meta.url).pathname)})
       process.exitCode = await pruneCommand(process.argv.slice(1))`,
      // Past `--`, node leaves the arguments to the script.
      '--',
      ...args,
    ],
    { reject: false },
  )

async function leftovers(label: string): Promise<string[]> {
  const [containers, networks] = await Promise.all([
    execa('docker', ['ps', '-aq', '--no-trunc', '--filter', `label=${label}`]),
    execa('docker', ['network', 'ls', '-q', '--no-trunc', '--filter', `label=${label}`]),
  ])
  return [...containers.stdout.split('\n'), ...networks.stdout.split('\n')].filter(Boolean)
}

describe('imgtest prune', () => {
  test('removes the containers and network of a process killed with SIGKILL; --dry-run only lists them', async () => {
    const { run, label, dir } = await startChild()
    run.kill('SIGKILL')
    expect((await run).signal).toBe('SIGKILL')
    // Nothing runs in a SIGKILLed process; its temp dir is not prune's business (it names no owner).
    await rm(dir, { recursive: true, force: true })
    const left = await leftovers(label)
    expect(left).toHaveLength(3)

    const dry = await prune(['--dry-run'])
    expect(dry.exitCode).toBe(0)
    for (const id of left) expect(dry.stdout).toContain(`(${id.slice(0, 12)})`)
    expect(dry.stdout).toMatch(/would remove container /)
    expect(dry.stdout).toMatch(/would remove network imgtest-[0-9a-f]+ /)
    expect(await leftovers(label)).toEqual(left)

    const real = await prune([])
    expect(real.exitCode).toBe(0)
    for (const id of left) expect(real.stdout).toContain(`(${id.slice(0, 12)})`)
    expect(real.stdout).toMatch(/^prune: removed \d+ containers, \d+ networks, \d+ images$/m)
    expect(await leftovers(label)).toEqual([])
  })

  test('keeps what a live imgtest process owns unless --all', async () => {
    const { run, label } = await startChild()
    try {
      const left = await leftovers(label)
      const kept = await prune(['--dry-run'])
      for (const id of left)
        expect(kept.stdout).toContain(`(${id.slice(0, 12)}): its imgtest process still runs`)
      expect(kept.stdout).not.toMatch(new RegExp(`would remove \\w+ \\S+ \\(${left[0]?.slice(0, 12)}\\)`))
      const all = await prune(['--dry-run', '--all'])
      for (const id of left)
        expect(all.stdout).toMatch(new RegExp(`would remove \\w+ \\S+ \\(${id.slice(0, 12)}\\)`))
    } finally {
      run.kill('SIGINT')
      await run
    }
    expect(await leftovers(label)).toEqual([])
  })

  test('removes the images structure-test setup steps committed for a dead process, parents after children', async () => {
    // As runCommandTest's setup steps do: a container with imgtest's labels, committed (the image
    // keeps the labels), the next step's container on that image, committed in turn.
    const dead = execa(process.execPath, ['-e', ''])
    await dead
    const deadSession = `${hostname()}:${dead.pid}:deadbeef`
    const commit = async (base: string, session: string): Promise<string> => {
      const labels = ['--label', `${OWNER_LABEL}=imgtest`, '--label', `${SESSION_LABEL}=${session}`]
      const { stdout: container } = await execa('docker', ['create', ...labels, base, 'true'])
      try {
        const { stdout } = await execa('docker', ['commit', container])
        return stdout.trim().replace(/^sha256:/, '')
      } finally {
        await execa('docker', ['rm', container])
      }
    }
    const exists = async (id: string) =>
      (await execa('docker', ['image', 'inspect', id], { reject: false })).exitCode === 0
    const first = await commit(fixtures.webUpstream, deadSession)
    const second = await commit(first, deadSession)
    const live = await commit(fixtures.webUpstream, sessionId)
    try {
      const dry = await prune(['--dry-run'])
      expect(dry.exitCode).toBe(0)
      for (const id of [first, second])
        expect(dry.stdout).toContain(`would remove image <untagged> (${id.slice(0, 12)})\n`)
      expect(dry.stdout).toContain(
        `kept image <untagged> (${live.slice(0, 12)}): its imgtest process still runs`,
      )
      expect(dry.stdout).toMatch(/^prune: would remove \d+ containers, \d+ networks, [2-9]\d* images$/m)
      expect([await exists(first), await exists(second)]).toEqual([true, true])

      const real = await prune([])
      expect(real.stderr).toBe('')
      expect(real.exitCode).toBe(0)
      for (const id of [first, second])
        expect(real.stdout).toContain(`removed image <untagged> (${id.slice(0, 12)})`)
      expect([await exists(first), await exists(second), await exists(live)]).toEqual([false, false, true])
      expect(await exists(fixtures.webUpstream)).toBe(true)
    } finally {
      await execa('docker', ['rmi', second, first, live], { reject: false })
    }
  })

  test('a bad flag is a usage error', async () => {
    const bad = await prune(['--force'])
    expect(bad.stderr).toMatch(/Unknown option '--force'; usage: imgtest prune \[--dry-run\] \[--all\]/)
  })
})
