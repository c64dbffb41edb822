import { describe, expect, test } from 'vitest'
import { checkCommand, shellFormCommand } from './command-check.ts'

describe('shellFormCommand', () => {
  test('recognises /bin/sh -c and the image SHELL', () => {
    expect(shellFormCommand(['/bin/sh', '-c', 'nginx -g "daemon off;"'])).toBe('nginx -g "daemon off;"')
    expect(
      shellFormCommand(['/bin/bash', '-o', 'pipefail', '-c', 'run'], ['/bin/bash', '-o', 'pipefail', '-c']),
    ).toBe('run')
    expect(shellFormCommand(['nginx', '-g', 'daemon off;'])).toBeUndefined()
    // Exec form that happens to call sh with several arguments is not what `CMD cmd` writes.
    expect(shellFormCommand(['/bin/sh', '-c', 'echo $0', 'x'])).toBeUndefined()
  })
})

describe('checkCommand', () => {
  test('equal arrays, and unset against [], give no finding', () => {
    expect(checkCommand('interface.cmd', ['sh'], ['sh'])).toEqual([])
    expect(checkCommand('interface.entrypoint', undefined, [])).toEqual([])
  })

  test('arrays are compared exactly: order and splitting matter', () => {
    const [finding] = checkCommand('interface.cmd', ['run', '--fast'], ['--fast', 'run'])
    expect(finding).toEqual({
      check: 'interface.cmd',
      upstream: ['run', '--fast'],
      rebuilt: ['--fast', 'run'],
      allowed: false,
      message: 'CMD differs: upstream ["run","--fast"], rebuilt ["--fast","run"]',
    })
    expect(checkCommand('interface.cmd', ['run --fast'], ['run', '--fast'])).toHaveLength(1)
  })

  test('exec form upstream, shell form in rebuilt is said in the message', () => {
    const [finding] = checkCommand(
      'interface.entrypoint',
      ['nginx', '-g', 'daemon off;'],
      ['/bin/sh', '-c', 'nginx -g "daemon off;"'],
    )
    expect(finding?.message).toBe(
      'ENTRYPOINT: upstream uses exec form ["nginx","-g","daemon off;"], rebuilt uses shell form (/bin/sh -c nginx -g "daemon off;")',
    )
  })

  test('shell form upstream, exec form in rebuilt, with a custom SHELL upstream', () => {
    const [finding] = checkCommand('interface.cmd', ['/bin/bash', '-c', 'serve'], ['serve'], {
      upstream: ['/bin/bash', '-c'],
    })
    expect(finding?.message).toBe(
      'CMD: upstream uses shell form (/bin/bash -c serve), rebuilt uses exec form ["serve"]',
    )
  })

  test('both in shell form with different commands is a plain difference', () => {
    const [finding] = checkCommand('interface.cmd', ['/bin/sh', '-c', 'a'], ['/bin/sh', '-c', 'b'])
    expect(finding?.message).toBe('CMD differs: upstream ["/bin/sh","-c","a"], rebuilt ["/bin/sh","-c","b"]')
  })

  test('set on one side only', () => {
    expect(checkCommand('interface.entrypoint', ['/entrypoint.sh'], undefined)).toEqual([
      {
        check: 'interface.entrypoint',
        upstream: ['/entrypoint.sh'],
        allowed: false,
        message: 'ENTRYPOINT ["/entrypoint.sh"] set upstream, not set in rebuilt',
      },
    ])
    expect(checkCommand('interface.cmd', [], ['sh'])[0]?.message).toBe(
      'CMD ["sh"] set in rebuilt, not set upstream',
    )
  })
})
