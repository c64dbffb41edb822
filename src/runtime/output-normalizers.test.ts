import { describe, expect, test } from 'vitest'
import {
  builtinNormalizer,
  defaultNormalizerNames,
  normalizeOutput,
  normalizerChain,
  resolveNormalizers,
} from './output-normalizers.ts'

const only = (name: Parameters<typeof builtinNormalizer>[0], text: string) =>
  normalizeOutput(text, [builtinNormalizer(name)])
const all = normalizerChain()

describe('built-in normalizers', () => {
  test.each([
    ['2024-05-01T12:00:00Z', '<timestamp>'],
    ['at 2024-05-01T12:00:00.123456+02:00.', 'at <timestamp>.'],
    ['2024-05-01 12:00:00 UTC done', '<timestamp> done'],
    ['2024-05-01T12:00 ok', '<timestamp> ok'],
    ['20240501T120000Z', '<timestamp>'],
    // A log level after the time is not a zone.
    ['2024-05-01 12:00:00 INFO starting', '<timestamp> INFO starting'],
    // A date alone is kept: a release date in a version line is real content.
    ['released 2024-05-01', 'released 2024-05-01'],
  ])('iso-timestamps: %s', (text, expected) => {
    expect(only('iso-timestamps', text)).toBe(expected)
  })

  test.each([
    ['Date: Tue, 07 May 2024 12:00:00 GMT', 'Date: <timestamp>'],
    ['at Fri, 04 Dec 2026 17:08:54 +0000', 'at <timestamp>'],
    ['7 May 2024 12:00:00 -0500', '<timestamp>'],
  ])('rfc2822-timestamps: %s', (text, expected) => {
    expect(only('rfc2822-timestamps', text)).toBe(expected)
  })

  test.each([
    ['date Fri Dec  4 17:08:54 UTC 2026', 'date <timestamp>'],
    ['Thu Dec 4 17:06:14 2026', '<timestamp>'],
    ['Dec  4 17:06:14 myhost sshd', '<timestamp> myhost sshd'],
    ['Dec  4 17:06:14 INFO up', '<timestamp> INFO up'],
  ])('date-timestamps: %s', (text, expected) => {
    expect(only('date-timestamps', text)).toBe(expected)
  })

  test('clf-timestamps: an access log line', () => {
    expect(only('clf-timestamps', '127.0.0.1 - - [04/Dec/2026:17:06:14 +0000] "GET / HTTP/1.1" 200')).toBe(
      '127.0.0.1 - - [<timestamp>] "GET / HTTP/1.1" 200',
    )
  })

  test('times: bare times of day, not ratios or versions', () => {
    expect(only('times', '[17:06:14.123] up; 1:2:3 and 10:00:00:00')).toBe(
      '[<time>] up; 1:2:3 and 10:00:00:00',
    )
  })

  test('epochs: seconds and milliseconds, not other numbers', () => {
    expect(only('epochs', 'epoch 1796404134 ms 1796404134123 f 1796404134.25.')).toBe(
      'epoch <epoch> ms <epoch> f <epoch>.',
    )
    expect(only('epochs', 'port 8080 size 123456789 v1796404134 2796404134')).toBe(
      'port 8080 size 123456789 v1796404134 2796404134',
    )
  })

  test.each([
    ['took 0.123s', 'took <duration>'],
    ['in 12ms.', 'in <duration>.'],
    ['after 1.5 s', 'after <duration>'],
    ['3µs 2m30s 1h2m 250 milliseconds 3 seconds', '<duration> <duration> <duration> <duration> <duration>'],
    ['version 1.2.3 on 8080, x2', 'version 1.2.3 on 8080, x2'],
  ])('durations: %s', (text, expected) => {
    expect(only('durations', text)).toBe(expected)
  })

  test('uuids in either case', () => {
    expect(
      only('uuids', 'id 8e14830f-3796-445a-930d-2c499d5bb87b / 8E14830F-3796-445A-930D-2C499D5BB87B'),
    ).toBe('id <uuid> / <uuid>')
  })

  test('hex-ids: ids and digests with digits and letters; plain words and numbers stay', () => {
    expect(
      only(
        'hex-ids',
        'container 61186692892b sha256:6d800fff799dabc0 commit 3f2a9c1 deadbeef 12345678 ABCDEF1234',
      ),
    ).toBe('container <hex> sha256:<hex> commit 3f2a9c1 deadbeef 12345678 <hex>')
  })

  test('tmp-paths', () => {
    expect(only('tmp-paths', 'scratch /tmp/tmp.FMnknC, log "/var/tmp/x/y.log" and /tmp')).toBe(
      'scratch <tmp-path>, log "<tmp-path>" and /tmp',
    )
  })

  test('ipv4 is available but not on by default', () => {
    expect(only('ipv4', 'listening on 0.0.0.0:80 from 172.17.0.3')).toBe('listening on <ip>:80 from <ip>')
    expect(defaultNormalizerNames).not.toContain('ipv4')
    expect(all('listening on 0.0.0.0:80')).toBe('listening on 0.0.0.0:80')
  })

  test('an unknown name is a usage error listing the built-ins', () => {
    expect(() => builtinNormalizer('dates' as never)).toThrow(
      /unknown normalizer 'dates'; built-ins: tmp-paths, uuids/,
    )
  })
})

describe('normalizerChain', () => {
  // Two runs of behave-ref's `behave info`: only what differs on every run differs.
  const run1 = [
    'behave 1.0.0',
    'started 2026-12-04T17:08:54Z',
    'date Fri Dec  4 17:08:54 UTC 2026',
    'host f2f13aeb0d71',
    'request 8e14830f-3796-445a-930d-2c499d5bb87b',
    'epoch 1796404134',
    'scratch /tmp/tmp.FMnknC',
  ].join('\n')
  const run2 = [
    'behave 1.0.0',
    'started 2026-12-04T17:09:03Z',
    'date Fri Dec  4 17:09:03 UTC 2026',
    'host 1f0e3b2a4c55',
    'request 50844f27-c1aa-4687-b4f2-dac43b1a3e88',
    'epoch 1796404143',
    'scratch /tmp/tmp.abQ9xz',
  ].join('\n')

  test('two runs of the same program normalise to the same text', () => {
    const a = normalizerChain({}, { hostname: 'f2f13aeb0d71' })(run1)
    const b = normalizerChain({}, { hostname: '1f0e3b2a4c55' })(run2)
    expect(a).toBe(b)
    expect(a).toContain('host <hostname>')
    expect(a).toContain('behave 1.0.0')
  })

  test('a changed version line still differs', () => {
    const changed = run2.replace('1.0.0', '1.0.1')
    expect(normalizerChain()(run1)).not.toBe(normalizerChain()(changed))
  })

  test('the full container id goes before its hostname prefix', () => {
    const id = '61186692892b4188dd678bcfcdb3a184168ed5e7a29417dc4d65a95f5a379166'
    const normalize = normalizerChain({ builtins: [] }, { hostname: id.slice(0, 12), 'container-id': id })
    expect(normalize(`id ${id} host ${id.slice(0, 12)}`)).toBe('id <container-id> host <hostname>')
  })

  test('literals are matched as text, not as patterns', () => {
    expect(normalizerChain({ builtins: [] }, { host: 'a.b' })('a.b axb')).toBe('<host> axb')
  })

  test('builtins: [] turns the built-ins off; extra regexes apply after, with or without the g flag', () => {
    const normalize = normalizerChain({
      builtins: [],
      extra: [/pid \d+/, { name: 'port', pattern: /port=\d+/g, replacement: 'port=N' }],
    })
    expect(normalize('pid 12 pid 13 port=1 at 2024-05-01T12:00:00Z')).toBe(
      '<match> <match> port=N at 2024-05-01T12:00:00Z',
    )
  })

  test('chains compose: one chain’s output feeds another', () => {
    const first = normalizerChain({ builtins: ['uuids'] })
    const second = normalizerChain({
      builtins: [],
      extra: [{ name: 'id', pattern: /<uuid>/g, replacement: 'ID' }],
    })
    expect(second(first('x 8e14830f-3796-445a-930d-2c499d5bb87b'))).toBe('x ID')
  })

  test('a bad spec is a usage error', () => {
    expect(() => resolveNormalizers([{ name: 'x', pattern: 'x' } as never])).toThrow(
      /a normalizer is a built-in name, a RegExp or \{ name, pattern: RegExp, replacement\? \}/,
    )
  })
})
