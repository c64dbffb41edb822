import { describe, expect, test } from 'vitest'
import type { ImageConfig } from '../image/snapshot.ts'
import { imageOf } from './testdata/image-of.ts'
import { checkUsers } from './user-checks.ts'

const PASSWD = [
  'root:x:0:0:root:/root:/bin/bash',
  'daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin',
  'www-data:x:33:33:www-data:/var/www:/usr/sbin/nologin',
  'app:x:1000:1000::/home/app:/bin/bash',
].join('\n')
const GROUP = 'root:x:0:\ndaemon:x:1:\nwww-data:x:33:\napp:x:1000:\nstaff:x:50:app\n'

function side(passwd: string | undefined, group: string | undefined, config: ImageConfig = {}) {
  const contents: Record<string, string> = {}
  if (passwd !== undefined) contents['/etc/passwd'] = passwd
  if (group !== undefined) contents['/etc/group'] = group
  return imageOf([], { contents, config })
}

const upstream = side(PASSWD, GROUP)

describe('checkUsers', () => {
  test('the same files give no findings; users and groups only rebuilt has are fine', () => {
    expect(checkUsers(upstream, side(PASSWD, GROUP))).toEqual([])
    expect(
      checkUsers(upstream, side(`${PASSWD}\nextra:x:2000:2000::/:/bin/sh`, `${GROUP}extra:x:2000:\n`)),
    ).toEqual([])
    // Order in the file does not matter.
    const reversed = side(
      PASSWD.split('\n').reverse().join('\n'),
      GROUP.trim().split('\n').reverse().join('\n'),
    )
    expect(checkUsers(upstream, reversed)).toEqual([])
  })

  test('a user removed is users.missing, keyed by name', () => {
    const rebuilt = side(PASSWD.replace(/^www-data.*\n/m, ''), GROUP)
    expect(checkUsers(upstream, rebuilt)).toEqual([
      {
        check: 'users.missing',
        key: 'www-data',
        upstream: { uid: 33, gid: 33, home: '/var/www', shell: '/usr/sbin/nologin' },
        allowed: false,
        message: 'user www-data (uid 33) exists upstream, missing in rebuilt',
      },
    ])
  })

  test('a group removed is groups.missing', () => {
    const rebuilt = side(PASSWD, GROUP.replace('staff:x:50:app\n', ''))
    expect(checkUsers(upstream, rebuilt)).toEqual([
      {
        check: 'groups.missing',
        key: 'staff',
        upstream: { gid: 50, members: ['app'] },
        allowed: false,
        message: 'group staff (gid 50) exists upstream, missing in rebuilt',
      },
    ])
  })

  test('uid, gid, home and shell changes are one users.changed per user, listing each change', () => {
    const rebuilt = side(
      PASSWD.replace(
        'app:x:1000:1000::/home/app:/bin/bash',
        'app:x:10001:50::/app:/usr/sbin/nologin',
      ).replace('root:/root:/bin/bash', 'root:/root:/bin/sh'),
      GROUP,
    )
    expect(checkUsers(upstream, rebuilt)).toEqual([
      {
        check: 'users.changed',
        key: 'app',
        upstream: { uid: 1000, gid: 1000, home: '/home/app', shell: '/bin/bash' },
        rebuilt: { uid: 10001, gid: 50, home: '/app', shell: '/usr/sbin/nologin' },
        allowed: false,
        message:
          'user app changed: uid 1000 upstream, 10001 in rebuilt; gid 1000 (app) upstream, 50 (staff) in rebuilt; ' +
          'home /home/app upstream, /app in rebuilt; shell /bin/bash upstream, /usr/sbin/nologin in rebuilt',
      },
      {
        check: 'users.changed',
        key: 'root',
        upstream: { shell: '/bin/bash' },
        rebuilt: { shell: '/bin/sh' },
        allowed: false,
        message: 'user root changed: shell /bin/bash upstream, /bin/sh in rebuilt',
      },
    ])
  })

  test('a rebuilt image without /etc/passwd and /etc/group lacks every user and group, and says so', () => {
    const findings = checkUsers(upstream, side(undefined, undefined))
    expect(findings.map((finding) => `${finding.check} ${finding.key}`)).toEqual([
      'users.missing app',
      'users.missing daemon',
      'users.missing root',
      'users.missing www-data',
      'groups.missing app',
      'groups.missing daemon',
      'groups.missing root',
      'groups.missing staff',
      'groups.missing www-data',
    ])
    expect(findings[0]?.message).toBe(
      'user app (uid 1000) exists upstream, missing in rebuilt: rebuilt has no /etc/passwd',
    )
    expect(findings[4]?.message).toBe(
      'group app (gid 1000) exists upstream, missing in rebuilt: rebuilt has no /etc/group',
    )
  })

  test("rebuilt's USER by a name its passwd lacks is users.missing: the container would not start", () => {
    const rebuilt = side(PASSWD, GROUP, { User: 'nonroot' })
    expect(checkUsers(upstream, rebuilt)).toEqual([
      {
        check: 'users.missing',
        key: 'nonroot',
        rebuilt: 'nonroot',
        allowed: false,
        message:
          'USER nonroot of rebuilt cannot be resolved (no user "nonroot": not in /etc/passwd): a container of rebuilt fails to start',
      },
    ])
  })

  test('a USER naming a removed user gives one finding with both reasons', () => {
    const rebuilt = side(PASSWD.replace(/^www-data.*\n/m, ''), GROUP, { User: 'www-data' })
    const findings = checkUsers(upstream, rebuilt)
    expect(findings).toHaveLength(1)
    expect(findings[0]).toMatchObject({ check: 'users.missing', key: 'www-data', rebuilt: 'www-data' })
    expect(findings[0]?.message).toBe(
      'user www-data (uid 33) exists upstream, missing in rebuilt; USER www-data of rebuilt cannot be resolved ' +
        '(no user "www-data": not in /etc/passwd): a container of rebuilt fails to start',
    )
  })

  test("a USER's missing group is groups.missing; numeric USERs need no entry", () => {
    expect(checkUsers(upstream, side(PASSWD, GROUP, { User: 'app:wheel' }))).toEqual([
      expect.objectContaining({ check: 'groups.missing', key: 'wheel', rebuilt: 'app:wheel' }),
    ])
    expect(checkUsers(upstream, side(PASSWD, GROUP, { User: '65532:65532' }))).toEqual([])
    expect(checkUsers(upstream, side(PASSWD, GROUP, { User: 'app' }))).toEqual([])
  })

  test('an upstream without /etc/passwd requires no users', () => {
    expect(checkUsers(side(undefined, undefined), side(PASSWD, GROUP))).toEqual([])
  })
})
