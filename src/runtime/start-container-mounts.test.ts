import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, test } from 'vitest'
import { fixtures } from '../../fixtures/images.ts'
import { runCommand } from './behaviour-command.ts'

// Real engine; run `node fixtures/build.ts` first.
const labels = { 'dev.imgtest': '1' }
const dirs: string[] = []

afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })))
})

describe('ContainerOptions.mounts (real engine)', () => {
  test('a host directory is visible inside, writable unless readOnly', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'imgtest-mount-'))
    dirs.push(dir)
    await writeFile(join(dir, 'in.txt'), 'from host\n')
    const read = await runCommand(fixtures.webUpstream, ['cat', '/t/in.txt'], {
      container: { labels, mounts: [{ source: dir, target: '/t', readOnly: true }] },
    })
    expect(read).toMatchObject({ exitCode: 0, stdout: 'from host\n' })
    const denied = await runCommand(fixtures.webUpstream, ['touch', '/t/new'], {
      container: { labels, mounts: [{ source: dir, target: '/t', readOnly: true }] },
    })
    expect(denied.exitCode).not.toBe(0)
    expect(denied.stderr).toMatch(/Read-only file system/)
    const wrote = await runCommand(fixtures.webUpstream, ['cp', '/t/in.txt', '/t/out.txt'], {
      container: { labels, mounts: [{ source: dir, target: '/t' }] },
    })
    expect(wrote.exitCode).toBe(0)
    expect(await readFile(join(dir, 'out.txt'), 'utf8')).toBe('from host\n')
  })
})
