import { describe, expect, test } from 'vitest'
import type { FileEntry, FileIndex } from '../../src/image/file-index.ts'
import { checkCommand } from './check-command.ts'
import { checkFileContent } from './check-file-content.ts'
import { checkFileExistence } from './check-file-existence.ts'
import { checkMetadata } from './check-metadata.ts'
import { expandEnv } from './expand-env.ts'
import { goRegExp } from './go-regexp.ts'
import { modeString } from './mode-string.ts'

// A hand-made index: no daemon needed for the logic.
function indexOf(entries: Partial<FileEntry>[]): FileIndex {
  const map = new Map<string, FileEntry>()
  for (const e of entries) {
    const entry: FileEntry = { path: '/', type: 'file', mode: 0o644, uid: 0, gid: 0, size: 0, layer: 0, ...e }
    map.set(entry.path, entry)
  }
  return { diffIds: [], entries: map, contents: new Map(), problems: [] }
}

const index = indexOf([
  { path: '/etc', type: 'dir', mode: 0o755 },
  { path: '/etc/passwd', mode: 0o600 },
  { path: '/bin', type: 'symlink', mode: 0o777, linkTarget: 'usr/bin' },
  { path: '/usr/bin/su', mode: 0o4755 },
  { path: '/usr/bin/tool', mode: 0o754, uid: 1000, gid: 1000 },
  { path: '/tmp', type: 'dir', mode: 0o1777 },
])
const messages = (findings: { message: string }[]) => findings.map((f) => f.message)

describe('modeString', () => {
  test("prints Go's FileMode.String(), as CST compares it", () => {
    expect(modeString({ type: 'file', mode: 0o644 })).toBe('-rw-r--r--')
    expect(modeString({ type: 'dir', mode: 0o755 })).toBe('drwxr-xr-x')
    expect(modeString({ type: 'symlink', mode: 0o777 })).toBe('Lrwxrwxrwx')
    expect(modeString({ type: 'file', mode: 0o4755 })).toBe('urwxr-xr-x')
    expect(modeString({ type: 'dir', mode: 0o1777 })).toBe('dtrwxrwxrwx')
    expect(modeString({ type: 'char', mode: 0o666 })).toBe('Dcrw-rw-rw-')
  })
})

describe('checkFileExistence', () => {
  test('a wrong mode names the path, the expected and the actual mode', () => {
    const findings = checkFileExistence(index, {
      name: 'passwd',
      path: '/etc/passwd',
      permissions: '-rw-r--r--',
    })
    expect(findings).toEqual([
      {
        check: 'structure.file',
        key: 'passwd',
        rebuilt: '-rw-------',
        allowed: false,
        message: 'file /etc/passwd: expected permissions -rw-r--r--, got -rw-------',
      },
    ])
  })

  test('paths through symlinked directories resolve; setuid shows as u', () => {
    expect(
      checkFileExistence(index, { name: 'su', path: '/bin/su', permissions: 'urwxr-xr-x', uid: 0 }),
    ).toEqual([])
  })

  test('a final symlink is not followed, as CST sees it', () => {
    expect(
      messages(checkFileExistence(index, { name: 'bin', path: '/bin', permissions: 'drwxr-xr-x' })),
    ).toEqual(['file /bin: expected permissions drwxr-xr-x, got Lrwxrwxrwx'])
  })

  test('existence both ways', () => {
    expect(messages(checkFileExistence(index, { name: 'x', path: '/usr/bin/sudo' }))).toEqual([
      'file /usr/bin/sudo: expected to exist, but it does not (missing at /usr/bin/sudo)',
    ])
    expect(
      messages(checkFileExistence(index, { name: 'x', path: '/etc/passwd', shouldExist: false })),
    ).toEqual(['file /etc/passwd: expected not to exist, but it does'])
    expect(checkFileExistence(index, { name: 'x', path: '/usr/bin/sudo', shouldExist: false })).toEqual([])
  })

  test('uid, gid (-1 unchecked) and isExecutableBy', () => {
    const tool = { name: 'tool', path: '/usr/bin/tool' }
    expect(messages(checkFileExistence(index, { ...tool, uid: 0, gid: 0 }))).toEqual([
      'file /usr/bin/tool: expected uid 0, got 1000',
      'file /usr/bin/tool: expected gid 0, got 1000',
    ])
    expect(checkFileExistence(index, { ...tool, uid: -1, gid: -1 })).toEqual([])
    expect(checkFileExistence(index, { ...tool, isExecutableBy: 'group' })).toEqual([])
    expect(messages(checkFileExistence(index, { ...tool, isExecutableBy: 'other' }))).toEqual([
      'file /usr/bin/tool: expected to be executable by other, but its mode is -rwxr-xr--',
    ])
  })
})

describe('checkFileContent', () => {
  const test_ = {
    name: 'os',
    path: '/etc/os-release',
    expectedContents: ['ID=debian'],
    excludedContents: ['alpine'],
  }
  test('unanchored regexes, expected and excluded', () => {
    expect(checkFileContent(test_, 'NAME=x\nID=debian\n')).toEqual([])
    expect(messages(checkFileContent(test_, 'ID=alpine\n'))).toEqual([
      'file /etc/os-release: expected contents to match /ID=debian/, they do not',
      'file /etc/os-release: expected contents not to match /alpine/, they do',
    ])
  })
  test('a missing file is one finding with the reason', () => {
    expect(messages(checkFileContent(test_, undefined, 'expected to exist, but it does not'))).toEqual([
      'file /etc/os-release: expected to exist, but it does not',
    ])
  })
})

describe('checkMetadata', () => {
  const config = {
    Env: ['PATH=/usr/local/bin:/usr/bin', 'EMPTY='],
    Labels: { version: '1.2.3' },
    ExposedPorts: { '8080/tcp': {}, '53/udp': {} },
    Volumes: { '/data': {} },
    Entrypoint: ['/entry'],
    WorkingDir: '/app',
    User: '65532',
  }

  test('a matching test gives nothing', () => {
    const ok = checkMetadata(config, {
      envVars: [
        { key: 'PATH', value: '/usr/bin', isRegex: true },
        { key: 'EMPTY', value: '' },
      ],
      labels: [{ key: 'version', value: '^1\\.', isRegex: true }],
      exposedPorts: ['8080', '53/udp', '53'],
      unexposedPorts: ['9090', '8080/udp'],
      volumes: ['/data'],
      unmountedVolumes: ['/tmp'],
      entrypoint: ['/entry'],
      cmd: [],
      workdir: '/app',
      user: '65532',
    })
    expect(ok).toEqual([])
  })

  test('each wrong field is its own finding with both values', () => {
    const findings = checkMetadata(config, {
      env: [{ key: 'HOME', value: '/root' }],
      envVars: [{ key: 'PATH', value: '/bin' }],
      labels: [{ key: 'version', value: '2' }],
      exposedPorts: ['9090'],
      volumes: ['/cache'],
      entrypoint: ['/other'],
      cmd: ['run'],
      workdir: '/srv',
      user: 'root',
    })
    expect(findings.map((f) => [f.key, f.message])).toEqual([
      ['metadata.env.PATH', 'env PATH: expected to be "/bin", got "/usr/local/bin:/usr/bin"'],
      ['metadata.env.HOME', 'env HOME: expected to be "/root", not set'],
      ['metadata.labels.version', 'label version: expected to be "2", got "1.2.3"'],
      ['metadata.ports.9090', 'port 9090: expected exposed, exposed are ["8080/tcp","53/udp"]'],
      ['metadata.volumes./cache', 'volume /cache: expected, volumes are ["/data"]'],
      ['metadata.entrypoint', 'entrypoint: expected ["/other"], got ["/entry"]'],
      ['metadata.cmd', 'cmd: expected ["run"], got []'],
      ['metadata.workdir', 'workdir: expected "/srv", got "/app"'],
      ['metadata.user', 'user: expected "root", got "65532"'],
    ])
  })
})

describe('checkCommand', () => {
  const run = { image: 'x', exitCode: 0, stdout: 'app 1.0\n', stderr: 'warning: old\n' }
  test('exit code, stdout and stderr regexes', () => {
    expect(
      checkCommand(
        { name: 'v', command: 'app', expectedOutput: ['^app 1\\.0'], expectedError: ['warn'] },
        run,
      ),
    ).toEqual([])
    const findings = checkCommand(
      {
        name: 'v',
        command: 'app',
        args: ['-v'],
        exitCode: 2,
        excludedOutput: ['1\\.0'],
        excludedError: ['warn'],
      },
      run,
    )
    expect(messages(findings)).toEqual([
      'command app -v: expected exit code 2, got 0 (stderr "warning: old\\n")',
      'command app -v: expected stdout not to match /1\\.0/, got "app 1.0\\n"',
      'command app -v: expected stderr not to match /warn/, got "warning: old\\n"',
    ])
    expect(findings.every((f) => f.check === 'structure.command' && f.key === 'v')).toBe(true)
  })
})

describe('expandEnv', () => {
  test('$VAR and ${VAR} from the image env; unknown ones empty', () => {
    const config = { Env: ['HOME=/home/app', 'APP=web'] }
    expect(expandEnv('$HOME/.profile', config)).toBe('/home/app/.profile')
    expect(expandEnv('/srv/${APP}_data/$NOPE', config)).toBe('/srv/web_data/')
    expect(expandEnv('/etc/passwd', config)).toBe('/etc/passwd')
  })
})

describe('goRegExp', () => {
  test("Go's leading flag group becomes JS flags; otherwise an unanchored search", () => {
    expect(goRegExp('(?i)^debian').test('Debian GNU/Linux')).toBe(true)
    expect(goRegExp('^debian').test('Debian GNU/Linux')).toBe(false)
    expect(goRegExp('(?s)a.b').test('a\nb')).toBe(true)
    expect(goRegExp('a.b').test('a\nb')).toBe(false)
    expect(goRegExp('(?m)^b$').test('a\nb\nc')).toBe(true)
    expect(goRegExp('ID=deb').test('NAME=x\nID=debian\n')).toBe(true)
  })
})
