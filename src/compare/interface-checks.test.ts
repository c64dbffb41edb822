import { describe, expect, test } from 'vitest'
import type { ImageConfig } from '../image/snapshot.ts'
import { checkInterface, interfaceCheckIds } from './interface-checks.ts'
import { snapshotOf as snapshot } from './testdata/image-of.ts'

function compare(upstream: ImageConfig, rebuilt: ImageConfig) {
  return checkInterface(snapshot(upstream, 'up:1'), snapshot(rebuilt, 'rb:1'))
}

const full: ImageConfig = {
  Entrypoint: ['/docker-entrypoint.sh'],
  Cmd: ['nginx', '-g', 'daemon off;'],
  Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'NGINX_VERSION=1.27.0'],
  ExposedPorts: { '80/tcp': {}, '443/tcp': {} },
  Volumes: { '/var/cache/nginx': {} },
  WorkingDir: '/srv',
  User: 'nginx',
  Labels: { maintainer: 'NGINX', 'org.opencontainers.image.version': '1.27.0' },
  StopSignal: 'SIGQUIT',
  Healthcheck: { Test: ['CMD', '/health'], Interval: 10e9 },
  Shell: ['/bin/bash', '-c'],
  OnBuild: ['COPY . /srv'],
}

describe('checkInterface', () => {
  test('an image against itself gives no finding', () => {
    expect(compare(full, structuredClone(full))).toEqual([])
    expect(compare({}, {})).toEqual([])
  })

  test('env, ports and labels that differ only in order give no finding', () => {
    const reordered: ImageConfig = {
      ...full,
      Env: [...(full.Env ?? [])].reverse(),
      ExposedPorts: { '443/tcp': {}, '80/tcp': {} },
      Labels: { 'org.opencontainers.image.version': '1.27.0', maintainer: 'NGINX' },
      Volumes: { '/var/cache/nginx/': {} },
    }
    expect(compare(full, reordered)).toEqual([])
  })

  test('every check id reports, in a stable order', () => {
    const changed: ImageConfig = {
      Entrypoint: ['/bin/sh', '-c', '/docker-entrypoint.sh'],
      Cmd: ['nginx'],
      Env: ['PATH=/usr/bin:/bin', 'NGINX_VERSION=1.27.0'],
      ExposedPorts: { '80/tcp': {} },
      Volumes: {},
      WorkingDir: '/',
      User: '',
      Labels: { maintainer: 'NGINX' },
      StopSignal: '15',
      Healthcheck: { Test: ['CMD', '/health'], Interval: 30e9 },
      Shell: undefined,
      OnBuild: undefined,
    }
    const ids = compare(full, changed).map((finding) => finding.check)
    expect([...new Set(ids)]).toEqual([...interfaceCheckIds])
    expect(compare(full, changed).every((finding) => finding.allowed === false)).toBe(true)
  })
})

describe('interface.ports', () => {
  test('8080 equals 8080/tcp; a protocol is compared case-insensitively', () => {
    expect(compare({ ExposedPorts: { '8080': {} } }, { ExposedPorts: { '8080/tcp': {} } })).toEqual([])
    expect(compare({ ExposedPorts: { '53/UDP': {} } }, { ExposedPorts: { '53/udp': {} } })).toEqual([])
  })

  test('one finding per port exposed on one side only, keyed by port/protocol', () => {
    expect(
      compare(
        { ExposedPorts: { '8080': {}, '53/udp': {} } },
        { ExposedPorts: { '53/tcp': {}, '53/udp': {} } },
      ),
    ).toEqual([
      {
        check: 'interface.ports',
        key: '53/tcp',
        rebuilt: '53/tcp',
        allowed: false,
        message: 'PORT 53/tcp exposed in rebuilt, not exposed upstream',
      },
      {
        check: 'interface.ports',
        key: '8080/tcp',
        upstream: '8080',
        allowed: false,
        message: 'PORT 8080/tcp exposed upstream, not exposed in rebuilt',
      },
    ])
  })
})

describe('interface.labels', () => {
  test('added, removed and changed labels, keyed by name', () => {
    const findings = compare(
      { Labels: { a: '1', gone: 'x', 'org.opencontainers.image.title': 'web' } },
      { Labels: { a: '2', 'org.opencontainers.image.title': 'web', added: '' } },
    )
    expect(findings.map((f) => [f.key, f.upstream, f.rebuilt, f.message])).toEqual([
      ['a', '1', '2', 'LABEL a is "1" upstream, "2" in rebuilt'],
      ['added', undefined, '', 'LABEL added="" set in rebuilt, not set upstream'],
      ['gone', 'x', undefined, 'LABEL gone="x" set upstream, not set in rebuilt'],
    ])
  })

  test('a label named like an Object.prototype member is a label like any other', () => {
    expect(compare({ Labels: { constructor: 'x' } }, {})).toHaveLength(1)
    expect(compare({}, {})).toEqual([])
  })
})

describe('interface.volumes', () => {
  test('a set keyed by path', () => {
    expect(compare({ Volumes: { '/data': {} } }, { Volumes: { '/cache': {} } })).toEqual([
      {
        check: 'interface.volumes',
        key: '/cache',
        rebuilt: '/cache',
        allowed: false,
        message: 'VOLUME /cache declared in rebuilt, not declared upstream',
      },
      {
        check: 'interface.volumes',
        key: '/data',
        upstream: '/data',
        allowed: false,
        message: 'VOLUME /data declared upstream, not declared in rebuilt',
      },
    ])
  })
})

describe('interface.workdir', () => {
  test('unset, empty and / are the same; a trailing slash is ignored', () => {
    expect(compare({}, { WorkingDir: '/' })).toEqual([])
    expect(compare({ WorkingDir: '' }, {})).toEqual([])
    expect(compare({ WorkingDir: '/app/' }, { WorkingDir: '/app' })).toEqual([])
  })

  test('a different directory', () => {
    expect(compare({ WorkingDir: '/app' }, {})).toEqual([
      {
        check: 'interface.workdir',
        upstream: '/app',
        allowed: false,
        message: 'WORKDIR is /app upstream, / (unset) in rebuilt',
      },
    ])
  })
})

describe('interface.user', () => {
  test.each([
    [undefined, 'root'],
    ['', '0'],
    ['root', '0:0'],
    ['0', 'root:root'],
    ['root:0', '0:root'],
    [undefined, '0:0'],
  ])('%j and %j both mean root', (upstream, rebuilt) => {
    expect(compare({ User: upstream }, { User: rebuilt })).toEqual([])
  })

  test('root against a non-root user', () => {
    expect(compare({}, { User: '65532:65532' })).toEqual([
      {
        check: 'interface.user',
        rebuilt: '65532:65532',
        allowed: false,
        message: 'USER is root (unset) upstream, 65532:65532 in rebuilt',
      },
    ])
  })

  test('root with another group is not root:root', () => {
    expect(compare({ User: 'root' }, { User: 'root:1000' })).toHaveLength(1)
  })

  test('names are not resolved without /etc/passwd: app and app:app differ', () => {
    expect(compare({ User: 'app' }, { User: 'app' })).toEqual([])
    expect(compare({ User: 'app' }, { User: 'app:app' })[0]?.message).toBe(
      'USER is app upstream, app:app in rebuilt',
    )
  })
})

describe('interface.stopsignal', () => {
  test.each([
    [undefined, 'SIGTERM'],
    ['15', 'SIGTERM'],
    ['TERM', 'sigterm'],
    ['', '15'],
    ['SIGQUIT', '3'],
    ['SIGRTMIN+3', '37'],
    ['SIGIOT', 'SIGABRT'],
  ])('%j and %j are the same signal', (upstream, rebuilt) => {
    expect(compare({ StopSignal: upstream }, { StopSignal: rebuilt })).toEqual([])
  })

  test('a different signal', () => {
    expect(compare({ StopSignal: 'SIGQUIT' }, {})).toEqual([
      {
        check: 'interface.stopsignal',
        upstream: 'SIGQUIT',
        allowed: false,
        message: 'STOPSIGNAL is SIGQUIT upstream, SIGTERM (default) in rebuilt',
      },
    ])
    expect(compare({ StopSignal: '9' }, { StopSignal: '15' })).toHaveLength(1)
  })
})

describe('interface.shell', () => {
  test('unset means ["/bin/sh","-c"]', () => {
    expect(compare({}, { Shell: ['/bin/sh', '-c'] })).toEqual([])
  })

  test('a different shell', () => {
    expect(compare({ Shell: ['/bin/bash', '-c'] }, {})).toEqual([
      {
        check: 'interface.shell',
        upstream: ['/bin/bash', '-c'],
        allowed: false,
        message: 'SHELL is ["/bin/bash","-c"] upstream, ["/bin/sh","-c"] (default) in rebuilt',
      },
    ])
  })
})

describe('interface.onbuild', () => {
  test('unset and [] are equal', () => {
    expect(compare({ OnBuild: [] }, {})).toEqual([])
  })

  test('removed and added triggers are named', () => {
    expect(compare({ OnBuild: ['COPY . /app', 'RUN make'] }, { OnBuild: ['RUN make', 'RUN test'] })).toEqual([
      {
        check: 'interface.onbuild',
        upstream: ['COPY . /app', 'RUN make'],
        rebuilt: ['RUN make', 'RUN test'],
        allowed: false,
        message: 'ONBUILD triggers differ: rebuilt lacks "COPY . /app"; rebuilt adds "RUN test"',
      },
    ])
  })

  test('a reorder alone is a difference: triggers run in order', () => {
    expect(compare({ OnBuild: ['A', 'B'] }, { OnBuild: ['B', 'A'] })[0]?.message).toBe(
      'ONBUILD triggers differ: the same triggers in a different order (they run in order in a child build)',
    )
  })
})

describe('interface.entrypoint and interface.cmd', () => {
  test('each is its own check, and the image SHELL counts for shell form', () => {
    const findings = compare(
      { Entrypoint: ['/entry'], Cmd: ['serve'] },
      { Entrypoint: ['/entry'], Cmd: ['/bin/ash', '-c', 'serve'], Shell: ['/bin/ash', '-c'] },
    )
    expect(findings.map((f) => [f.check, f.message])).toEqual([
      [
        'interface.cmd',
        'CMD: upstream uses exec form ["serve"], rebuilt uses shell form (/bin/ash -c serve)',
      ],
      ['interface.shell', 'SHELL is ["/bin/sh","-c"] (default) upstream, ["/bin/ash","-c"] in rebuilt'],
    ])
  })
})
