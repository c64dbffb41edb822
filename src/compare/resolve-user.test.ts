import { describe, expect, test } from 'vitest'
import { parseGroup, parsePasswd } from '../image/passwd.ts'
import { resolveUser } from './resolve-user.ts'

const passwd = parsePasswd(
  [
    'root:x:0:0:root:/root:/bin/bash',
    'daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin',
    'app:x:10001:10001::/home/app:/bin/bash',
    '1234:x:2000:2000::/:/bin/sh',
  ].join('\n'),
).entries
const group = parseGroup('root:x:0:\ndaemon:x:1:\napp:x:10001:\nstaff:x:50:app\n').entries

describe('resolveUser', () => {
  test('unset and empty mean root, with its passwd name', () => {
    expect(resolveUser(undefined, passwd, group)).toEqual({ uid: 0, gid: 0, name: 'root' })
    expect(resolveUser('', passwd, group)).toEqual({ uid: 0, gid: 0, name: 'root' })
    expect(resolveUser(undefined, undefined, undefined)).toEqual({ uid: 0, gid: 0 })
  })

  test('a name takes uid and primary gid from passwd', () => {
    expect(resolveUser('app', passwd, group)).toEqual({ uid: 10001, gid: 10001, name: 'app' })
    expect(resolveUser('root', passwd, group)).toEqual({ uid: 0, gid: 0, name: 'root' })
  })

  test('a number is always a uid: named when passwd has it, else gid 0 as runc does', () => {
    expect(resolveUser('10001', passwd, group)).toEqual({ uid: 10001, gid: 10001, name: 'app' })
    expect(resolveUser('65532', passwd, group)).toEqual({ uid: 65532, gid: 0 })
    expect(resolveUser('65532', undefined, undefined)).toEqual({ uid: 65532, gid: 0 })
    // A user named "1234" is not what USER 1234 means.
    expect(resolveUser('1234', passwd, group)).toEqual({ uid: 1234, gid: 0 })
  })

  test('an explicit group by name or number overrides the primary gid', () => {
    expect(resolveUser('app:staff', passwd, group)).toEqual({ uid: 10001, gid: 50, name: 'app' })
    expect(resolveUser('app:0', passwd, group)).toEqual({ uid: 10001, gid: 0, name: 'app' })
    expect(resolveUser('65532:65532', undefined, undefined)).toEqual({ uid: 65532, gid: 65532 })
    expect(resolveUser(':staff', passwd, group)).toEqual({ uid: 0, gid: 50, name: 'root' })
  })

  test('a name the files lack is a problem: the engine would refuse to start the container', () => {
    expect(resolveUser('www-data', passwd, group)).toEqual({
      problem: 'no user "www-data": not in /etc/passwd',
    })
    expect(resolveUser('root', undefined, undefined)).toEqual({
      problem: 'no user "root": the image has no /etc/passwd',
    })
    expect(resolveUser('app:wheel', passwd, group)).toEqual({
      uid: 10001,
      name: 'app',
      problem: 'no group "wheel": not in /etc/group',
    })
    expect(resolveUser('65532:nonroot', passwd, undefined)).toEqual({
      uid: 65532,
      problem: 'no group "nonroot": the image has no /etc/group',
    })
  })

  test('ids beyond 2^31-1 are out of range', () => {
    expect(resolveUser('4294967296', passwd, group).problem).toBe(
      'uid 4294967296 is out of range (at most 2147483647)',
    )
    expect(resolveUser('0:2147483648', passwd, group)).toEqual({
      uid: 0,
      name: 'root',
      problem: 'gid 2147483648 is out of range (at most 2147483647)',
    })
  })
})
