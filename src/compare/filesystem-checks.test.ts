import { describe, expect, test } from 'vitest'
import type { ImageConfig } from '../image/snapshot.ts'
import type { EntrySpec } from '../image/testdata/file-index-of.ts'
import { dir, exe, file, hardlink, symlink } from '../image/testdata/file-index-of.ts'
import { checkFilesystem } from './filesystem-checks.ts'
import { applyPolicy } from './policy.ts'
import { imageOf } from './testdata/image-of.ts'

const PASSWD = 'root:x:0:0:root:/root:/bin/bash\napp:x:1000:1000::/home/app:/bin/bash\n'
const GROUP = 'root:x:0:\napp:x:1000:\nshadow:x:42:\n'

// A Debian 12 style image: merged /usr, a shell, a few tools, a setuid passwd, an app dir, docs.
const BASE: EntrySpec[] = [
  symlink('/bin', 'usr/bin'),
  symlink('/sbin', 'usr/sbin'),
  exe('/usr/bin/bash'),
  symlink('/usr/bin/sh', 'bash'),
  exe('/usr/bin/ls'),
  exe('/usr/bin/tool'),
  exe('/usr/bin/perl'),
  hardlink('/usr/bin/perl5.36', '/usr/bin/perl'),
  exe('/usr/bin/passwd', { mode: 0o4755 }),
  exe('/usr/bin/chage', { mode: 0o2755, gid: 42 }),
  file('/usr/bin/README.txt'), // not executable: not required
  symlink('/usr/bin/dangling', '/nowhere'), // broken upstream: not required
  exe('/usr/sbin/useradd'),
  dir('/usr/local/bin'),
  dir('/var/local', 0o2775),
  dir('/var/lib/app', 0o750, { uid: 1000, gid: 1000 }),
  file('/var/lib/app/state', 0o640, { uid: 1000, gid: 1000 }),
  file('/etc/app.conf', 0o644),
  file('/usr/share/doc/bash/copyright'),
  file('/usr/share/doc/bash/README'),
]

type Change = EntrySpec | { remove: string }

function image(changes: Change[] = [], config: ImageConfig = { Cmd: ['bash'] }, passwd = PASSWD) {
  const specs = new Map(BASE.map((spec) => [spec.path, spec]))
  for (const change of changes) {
    if ('remove' in change) specs.delete(change.remove)
    else specs.set(change.path, change)
  }
  return imageOf([...specs.values()], { contents: { '/etc/passwd': passwd, '/etc/group': GROUP }, config })
}

const upstream = image()
const check = (rebuilt: ReturnType<typeof image>, paths?: string[]) =>
  checkFilesystem(upstream, rebuilt, paths === undefined ? {} : { paths })
const summary = (findings: ReturnType<typeof check>) => findings.map((f) => `${f.check} ${f.key}`)

describe('checkFilesystem', () => {
  test('identical images give no findings', () => {
    expect(check(image())).toEqual([])
    expect(check(image(), ['/usr/share/**', '/etc/*', '/var/lib/app/**'])).toEqual([])
  })

  test('a binary removed is fs.missing, keyed by its first PATH path, naming its other paths', () => {
    expect(check(image([{ remove: '/usr/bin/tool' }]))).toEqual([
      {
        check: 'fs.missing',
        key: '/usr/bin/tool',
        upstream: { path: '/usr/bin/tool', type: 'file', mode: '0755', uid: 0, gid: 0 },
        allowed: false,
        message:
          '/usr/bin/tool (and as /bin/tool) exists upstream (an executable in PATH), missing in rebuilt',
      },
    ])
  })

  test('a binary moved to another PATH directory is still fs.missing at its old path, saying where it went', () => {
    const findings = check(image([{ remove: '/usr/bin/tool' }, exe('/usr/local/bin/tool')]))
    expect(findings).toEqual([
      expect.objectContaining({
        check: 'fs.missing',
        key: '/usr/bin/tool',
        rebuilt: { movedTo: '/usr/local/bin/tool' },
        message:
          "/usr/bin/tool (and as /bin/tool) exists upstream (an executable in PATH), missing in rebuilt: moved to /usr/local/bin/tool, still found by name through rebuilt's PATH",
      }),
    ])
  })

  test('a binary moved out of PATH says a bare name no longer finds it', () => {
    const findings = check(image([{ remove: '/usr/bin/tool' }, exe('/opt/tool/bin/tool')]))
    expect(findings.map((f) => f.message)).toEqual([
      "/usr/bin/tool (and as /bin/tool) exists upstream (an executable in PATH), missing in rebuilt: moved to /opt/tool/bin/tool, outside rebuilt's PATH, so `tool` is no longer found by name",
    ])
  })

  test('a binary made non-executable is fs.mode', () => {
    expect(check(image([file('/usr/bin/tool', 0o644)]))).toEqual([
      {
        check: 'fs.mode',
        key: '/usr/bin/tool',
        upstream: '0755',
        rebuilt: '0644',
        allowed: false,
        message: '/usr/bin/tool is executable upstream (mode 0755), not executable in rebuilt (mode 0644)',
      },
    ])
  })

  test('a binary made setuid is fs.setuid, as is any new setuid or setgid file; kept ones are not', () => {
    const findings = check(
      image([
        exe('/usr/bin/tool', { mode: 0o4755 }),
        exe('/opt/helper', { mode: 0o2750, gid: 42 }),
        exe('/usr/bin/passwd', { mode: 0o6755 }),
        dir('/var/mail', 0o2775),
      ]),
    )
    expect(findings).toEqual([
      {
        check: 'fs.setuid',
        key: '/opt/helper',
        rebuilt: '2750',
        allowed: false,
        message: '/opt/helper is setgid (runs with group shadow) in rebuilt (mode 2750); absent upstream',
      },
      {
        check: 'fs.setuid',
        key: '/usr/bin/passwd',
        upstream: '4755',
        rebuilt: '6755',
        allowed: false,
        message:
          '/usr/bin/passwd is setgid (runs with group root) in rebuilt (mode 6755); upstream it has only u+s (mode 4755)',
      },
      {
        check: 'fs.setuid',
        key: '/usr/bin/tool',
        upstream: '0755',
        rebuilt: '4755',
        allowed: false,
        message:
          '/usr/bin/tool is setuid (runs as root) in rebuilt (mode 4755); upstream it is not (mode 0755)',
      },
    ])
  })

  test('losing setuid on a required binary is a permission removed (fs.mode)', () => {
    expect(check(image([exe('/usr/bin/passwd')]))).toEqual([
      expect.objectContaining({
        check: 'fs.mode',
        key: '/usr/bin/passwd',
        message: '/usr/bin/passwd loses u+s in rebuilt (mode 4755 upstream, 0755 in rebuilt)',
      }),
    ])
  })

  test('a setuid hard link counts at its own path', () => {
    const findings = check(image([exe('/opt/su', { mode: 0o4755 }), hardlink('/opt/su2', '/opt/su', 0o4755)]))
    expect(summary(findings)).toEqual(['fs.setuid /opt/su', 'fs.setuid /opt/su2'])
  })

  describe('merged /usr on one side only', () => {
    // The same tools with /bin and /usr/bin as separate directories.
    const split = (extra: Change[] = []) =>
      image([
        { remove: '/bin' },
        { remove: '/sbin' },
        dir('/bin'),
        dir('/sbin'),
        { remove: '/usr/bin/bash' },
        exe('/bin/bash'),
        { remove: '/usr/bin/sh' },
        symlink('/bin/sh', 'bash'),
        { remove: '/usr/bin/ls' },
        exe('/bin/ls'),
        ...extra,
      ])

    test('rebuilt merged, upstream split: every upstream path still resolves, so no findings', () => {
      expect(checkFilesystem(split(), upstream)).toEqual([])
    })

    test('upstream merged, rebuilt split: each upstream path that no longer resolves, saying where the file is', () => {
      const findings = check(split())
      // Upstream reaches every binary as /usr/bin/x and /bin/x; split rebuilt has each under one name only.
      expect(summary(findings)).toEqual([
        'fs.missing /bin/chage',
        'fs.missing /bin/passwd',
        'fs.missing /bin/perl',
        'fs.missing /bin/perl5.36',
        'fs.missing /bin/tool',
        'fs.missing /sbin/useradd',
        'fs.missing /usr/bin/bash',
        'fs.missing /usr/bin/ls',
        'fs.missing /usr/bin/sh',
      ])
      expect(findings[7]?.message).toBe(
        '/usr/bin/ls exists upstream (an executable in PATH), missing in rebuilt, which has it only as /bin/ls',
      )
      expect(findings[4]?.message).toBe(
        '/bin/tool exists upstream (an executable in PATH), missing in rebuilt, which has it only as /usr/bin/tool',
      )
    })

    test('upstream merged, rebuilt split with links for the old names: no findings', () => {
      const names = ['chage', 'passwd', 'perl', 'perl5.36', 'tool']
      const compat = split([
        symlink('/usr/bin/bash', '/bin/bash'),
        symlink('/usr/bin/ls', '/bin/ls'),
        symlink('/usr/bin/sh', '/bin/sh'),
        ...names.map((name) => symlink(`/bin/${name}`, `/usr/bin/${name}`)),
        symlink('/sbin/useradd', '/usr/sbin/useradd'),
      ])
      expect(check(compat)).toEqual([])
    })
  })

  test('a symlink loop in rebuilt is fs.type naming the loop; a loop upstream is not required', () => {
    const findings = check(image([symlink('/usr/bin/tool', 'tool2'), symlink('/usr/bin/tool2', 'tool')]))
    expect(findings).toEqual([
      {
        check: 'fs.type',
        key: '/usr/bin/tool',
        upstream: 'file',
        rebuilt: 'loop',
        allowed: false,
        message:
          '/usr/bin/tool exists upstream (an executable in PATH) as a regular file; in rebuilt it is a symlink loop (the lookup gave up at /usr/bin/tool after 40 links)',
      },
    ])
    const loopy = image([symlink('/usr/bin/loop', 'loop')])
    expect(checkFilesystem(loopy, image())).toEqual([])
  })

  test('rebuilt with a looping /usr/bin loses every binary to loops, without crashing', () => {
    const findings = check(image([symlink('/usr/bin', '/usr/bin')]))
    expect(new Set(findings.map((f) => f.check))).toEqual(new Set(['fs.type']))
    expect(findings.length).toBe(8)
  })

  test('a link in rebuilt to a missing target, and a hard link to one, are fs.missing saying why', () => {
    expect(check(image([symlink('/usr/bin/tool', '/opt/gone/tool')])).map((f) => f.message)).toEqual([
      '/usr/bin/tool (and as /bin/tool) exists upstream (an executable in PATH), missing in rebuilt: it is a symlink to /opt/gone/tool there, and /opt does not exist',
    ])
    expect(check(image([hardlink('/usr/bin/tool', '/usr/bin/gone')])).map((f) => f.message)).toEqual([
      '/usr/bin/tool (and as /bin/tool) exists upstream (an executable in PATH), missing in rebuilt: it is a hard link to /usr/bin/gone, which does not exist',
    ])
  })

  test('a PATH directory turned into a file: fs.missing naming it', () => {
    const up = image([exe('/usr/local/bin/extra')])
    const rb = image([file('/usr/local/bin', 0o755)])
    expect(checkFilesystem(up, rb).map((f) => f.message)).toEqual([
      '/usr/local/bin/extra exists upstream (an executable in PATH), missing in rebuilt: /usr/local/bin is not a directory there',
    ])
  })

  test('a binary replaced by a directory is fs.type', () => {
    expect(check(image([dir('/usr/bin/tool')]))).toEqual([
      expect.objectContaining({
        check: 'fs.type',
        key: '/usr/bin/tool',
        upstream: 'file',
        rebuilt: 'dir',
        message: '/usr/bin/tool is a regular file upstream, a directory in rebuilt',
      }),
    ])
  })

  test('a hard-linked binary removed is missing; replaced by a copy it is fine', () => {
    expect(summary(check(image([{ remove: '/usr/bin/perl5.36' }])))).toEqual(['fs.missing /usr/bin/perl5.36'])
    expect(check(image([exe('/usr/bin/perl5.36')]))).toEqual([])
  })

  describe('owners', () => {
    const paths = ['/var/lib/app/**', '/var/lib/app']

    test('compared by name when both images name the ids: a renumbered app user is no finding', () => {
      const renumbered = image(
        [
          dir('/var/lib/app', 0o750, { uid: 10001, gid: 1000 }),
          file('/var/lib/app/state', 0o640, { uid: 10001, gid: 1000 }),
        ],
        undefined,
        PASSWD.replace('app:x:1000:', 'app:x:10001:'),
      )
      expect(check(renumbered, paths)).toEqual([])
    })

    test('another named owner is fs.owner, with names and ids', () => {
      const findings = check(image([file('/var/lib/app/state', 0o640)]), paths)
      expect(findings).toEqual([
        {
          check: 'fs.owner',
          key: '/var/lib/app/state',
          upstream: 'app:app',
          rebuilt: 'root:root',
          allowed: false,
          message: '/var/lib/app/state is owned by app:app (1000:1000) upstream, root:root (0:0) in rebuilt',
        },
      ])
    })

    test('ids an image does not name are compared by number', () => {
      const unnamed = image([file('/var/lib/app/state', 0o640, { uid: 10001, gid: 1000 })])
      expect(check(unnamed, paths).map((f) => f.message)).toEqual([
        '/var/lib/app/state is owned by app:app (1000:1000) upstream, 10001:app (10001:1000) in rebuilt',
      ])
      const up = image([file('/var/lib/app/state', 0o640, { uid: 5000, gid: 5000 })])
      const same = image([file('/var/lib/app/state', 0o640, { uid: 5000, gid: 5000 })])
      const other = image([file('/var/lib/app/state', 0o640, { uid: 5001, gid: 5000 })])
      expect(checkFilesystem(up, same, { paths })).toEqual([])
      expect(summary(checkFilesystem(up, other, { paths }))).toEqual(['fs.owner /var/lib/app/state'])
    })
  })

  describe('modes of required paths', () => {
    test('removed read bits are fs.mode; added bits are not', () => {
      expect(check(image([file('/etc/app.conf', 0o600)]), ['/etc/*']).map((f) => f.message)).toEqual([
        '/etc/app.conf loses g+r, o+r in rebuilt (mode 0644 upstream, 0600 in rebuilt)',
      ])
      expect(check(image([file('/etc/app.conf', 0o666)]), ['/etc/*'])).toEqual([])
    })

    test("root's own write bit on a root-owned file changes nothing; on a user's directory it does", () => {
      expect(check(image([exe('/usr/bin/tool', { mode: 0o555 })]))).toEqual([])
      expect(
        check(image([dir('/var/lib/app', 0o550, { uid: 1000, gid: 1000 })]), ['/var/lib/app']).map(
          (f) => f.message,
        ),
      ).toEqual(['/var/lib/app loses u+w in rebuilt (mode 0750 upstream, 0550 in rebuilt)'])
    })
  })

  describe('ENTRYPOINT and CMD programs', () => {
    test('an entrypoint outside PATH is required; its reason is in the message', () => {
      const config = { Entrypoint: ['/docker-entrypoint.sh'], Cmd: ['tool', '--serve'] }
      const up = image([exe('/docker-entrypoint.sh')], config)
      const findings = checkFilesystem(up, image([], config))
      expect(findings.map((f) => f.message)).toEqual([
        '/docker-entrypoint.sh exists upstream (the ENTRYPOINT program), missing in rebuilt',
      ])
      // CMD's first word named a PATH binary: both reasons are given.
      expect(
        checkFilesystem(up, image([exe('/docker-entrypoint.sh'), { remove: '/usr/bin/tool' }], config))[0]
          ?.message,
      ).toBe(
        '/usr/bin/tool (and as /bin/tool) exists upstream (an executable in PATH, the CMD program), missing in rebuilt',
      )
    })

    test('a relative entrypoint is found from WORKDIR; a shell-form CMD requires its shell', () => {
      const config = { WorkingDir: '/srv', Entrypoint: ['./run.sh'] }
      const up = image([exe('/srv/run.sh')], config)
      expect(summary(checkFilesystem(up, image([], config)))).toEqual(['fs.missing /srv/run.sh'])
      const shellForm = { Env: ['PATH=/opt/app'], Cmd: ['/bin/sh', '-c', 'exec app'] }
      expect(
        summary(checkFilesystem(image([], shellForm), image([{ remove: '/usr/bin/bash' }], shellForm))),
      ).toEqual(['fs.missing /bin/sh'])
    })

    test('a first word upstream cannot run sets no requirement', () => {
      const config = { Entrypoint: ['/missing-entrypoint'], Cmd: ['-g', 'daemon off;'] }
      expect(checkFilesystem(image([], config), image([], config))).toEqual([])
    })
  })

  describe('globs of extra paths', () => {
    const noDocs = image([{ remove: '/usr/share/doc/bash/README' }])

    test('every upstream path a glob matches must exist; policy can allow the removals by glob', () => {
      const findings = check(noDocs, ['/usr/share/doc/**'])
      expect(findings).toEqual([
        expect.objectContaining({
          check: 'fs.missing',
          key: '/usr/share/doc/bash/README',
          message:
            '/usr/share/doc/bash/README exists upstream (matches /usr/share/doc/**), missing in rebuilt',
        }),
      ])
      const allowed = applyPolicy(findings, { allow: [{ check: 'fs.missing', key: '/usr/share/doc/**' }] })
      expect(allowed.every((finding) => finding.allowed)).toBe(true)
    })

    test('a glob through a symlinked directory matches what the link points to, under the name written', () => {
      expect(summary(check(image([{ remove: '/usr/bin/README.txt' }]), ['/bin/*.txt']))).toEqual([
        'fs.missing /bin/README.txt',
      ])
    })

    test('a literal path is required when upstream has it, even a broken link; globs matching nothing are ignored', () => {
      expect(
        summary(check(image([{ remove: '/etc/app.conf' }]), ['/etc/app.conf', '/etc/none', '/nope/**'])),
      ).toEqual(['fs.missing /etc/app.conf'])
      expect(
        check(image([{ remove: '/usr/bin/dangling' }]), ['/usr/bin/dangling']).map((f) => f.message),
      ).toEqual([
        '/usr/bin/dangling exists upstream (matches /usr/bin/dangling; a broken link there), missing in rebuilt',
      ])
      expect(check(image(), ['/usr/bin/dangling'])).toEqual([])
    })
  })
})
