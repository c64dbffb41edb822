import { beforeAll, describe, expect, test } from 'vitest'
import { fixtures } from '../../fixtures/images.ts'
import { loadSnapshot } from '../image/load.ts'
import { readAccounts } from '../image/passwd.ts'
import { exportIndex } from '../image/testdata/export-index.ts'
import { checkFilesystem } from './filesystem-checks.ts'
import type { IndexedImage } from './indexed-image.ts'
import { requiredPaths } from './required-paths.ts'
import { resolveUser } from './resolve-user.ts'
import { checkUsers } from './user-checks.ts'

// The Debian fixture pair: the same packages, rebuilt without docs, man pages or locales, plus an
// `app` user (uid 10001) it runs as. Indexes come from `docker export`, so this exercises the
// checks on a real root without depending on the layer reader.
let upstream: IndexedImage
let rebuilt: IndexedImage

beforeAll(async () => {
  const [upSnapshot, rbSnapshot, upIndex, rbIndex] = await Promise.all([
    loadSnapshot(fixtures.debianUpstream),
    loadSnapshot(fixtures.debianRebuilt),
    exportIndex(fixtures.debianUpstream),
    exportIndex(fixtures.debianRebuilt),
  ])
  upstream = { snapshot: upSnapshot, index: upIndex }
  rebuilt = { snapshot: rbSnapshot, index: rbIndex }
})

describe('the Debian fixture pair', () => {
  test('what upstream requires: hundreds of PATH executables, bash as the CMD program, merged /usr aliases', () => {
    const required = requiredPaths(upstream)
    expect(required.length).toBeGreaterThan(300)
    const bash = required.find((path) => path.aliases.includes('/usr/bin/bash'))
    expect(bash).toEqual({
      aliases: ['/usr/bin/bash', '/bin/bash'],
      reasons: ['an executable in PATH', 'the CMD program'],
    })
  })

  test('no filesystem findings: the same binaries, modes, owners and setuid files', () => {
    expect(checkFilesystem(upstream, rebuilt)).toEqual([])
  })

  test('requiring the docs shows what the rebuild dropped, and only that', () => {
    const findings = checkFilesystem(upstream, rebuilt, { paths: ['/usr/share/doc/**', '/usr/share/man/**'] })
    expect(findings.length).toBeGreaterThan(100)
    expect(new Set(findings.map((finding) => finding.check))).toEqual(new Set(['fs.missing']))
    // Copyright files were kept (path-include in the rebuilt recipe).
    expect(findings.filter((finding) => finding.key?.endsWith('/copyright'))).toEqual([])
  })

  test('no user or group findings; the rebuilt USER 10001 resolves to app', () => {
    expect(checkUsers(upstream, rebuilt)).toEqual([])
    const { passwd, group } = readAccounts(rebuilt.index)
    expect(resolveUser(rebuilt.snapshot.config.User, passwd?.entries, group?.entries)).toEqual({
      uid: 10001,
      gid: 10001,
      name: 'app',
    })
  })

  test('reversed, the pair reports the user rebuilt added as missing upstream', () => {
    expect(checkUsers(rebuilt, upstream).map((finding) => `${finding.check} ${finding.key}`)).toEqual([
      'users.missing app',
      'groups.missing app',
    ])
  })
})
