import { chmod, link, mkdir, readFile, symlink, truncate, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { execa } from 'execa'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { BLOCK, TarFormatError } from './tar-header.ts'
import { type TarEntryHeader, TarParser } from './tar-parser.ts'
import { layersTempDir, packLayer } from './testdata/layouts.ts'

interface Parsed {
  header: TarEntryHeader
  bytes: number
  content?: string
}

/** Feeds a tar in pieces of `step` bytes and collects each entry with the bytes of data it got. */
function parse(tar: Buffer, step = 64 * 1024): Parsed[] {
  const parser = new TarParser()
  const out: Parsed[] = []
  const chunks: Buffer[] = []
  for (let offset = 0; offset < tar.length; offset += step) {
    for (const event of parser.feed(tar.subarray(offset, offset + step))) {
      if (event.kind === 'entry') out.push({ header: event.header, bytes: 0 })
      else if (event.kind === 'data') {
        const last = out.at(-1) as Parsed
        last.bytes += event.chunk.length
        chunks.push(Buffer.from(event.chunk))
      } else {
        const last = out.at(-1) as Parsed
        if (last.header.typeflag === '0' && last.bytes < 4096) last.content = Buffer.concat(chunks).toString()
        chunks.length = 0
      }
    }
  }
  parser.finish()
  return out
}

const LONG = `${'d'.repeat(60)}/${'e'.repeat(60)}/${'f'.repeat(70)}.txt`

describe('TarParser on archives GNU tar writes', () => {
  let dir: string
  let remove: () => Promise<void>
  const tars = new Map<string, Buffer>()

  beforeAll(async () => {
    ;({ dir, remove } = await layersTempDir())
    const root = join(dir, 'root')
    await mkdir(join(root, 'bin'), { recursive: true })
    await mkdir(join(root, LONG, '..'), { recursive: true })
    await writeFile(join(root, 'bin', 'tool'), 'binary')
    await chmod(join(root, 'bin', 'tool'), 0o4755)
    await symlink('tool', join(root, 'bin', 'alias'))
    await link(join(root, 'bin', 'tool'), join(root, 'bin', 'hard'))
    await writeFile(join(root, LONG), 'long name')
    await symlink(`../${'t'.repeat(120)}`, join(root, 'longlink'))
    await execa('mkfifo', [join(root, 'pipe')])
    for (const format of ['gnu', 'posix', 'ustar']) {
      const file = join(dir, `${format}.tar`)
      const args = ['-C', root, `--format=${format}`, '--owner=1000', '--group=1001', '--numeric-owner']
      // ustar cannot store the long symlink target
      const paths = format === 'ustar' ? ['bin', LONG, 'pipe'] : ['.']
      await execa('tar', [...args, '-cf', file, ...paths])
      tars.set(format, await readFile(file))
    }
  })
  afterAll(() => remove())

  test.each(['gnu', 'posix', 'ustar'])('%s: names, types, modes, owners, links', (format) => {
    const entries = parse(tars.get(format) as Buffer)
    const byName = new Map(entries.map((entry) => [entry.header.name.replace(/^\.\//, ''), entry]))
    const tool = byName.get('bin/tool')
    expect(tool?.header).toMatchObject({ typeflag: '0', size: 6, uid: 1000, gid: 1001 })
    expect((tool?.header.mode ?? 0) & 0o7777).toBe(0o4755)
    expect(tool?.content).toBe('binary')
    expect(byName.get('bin/alias')?.header).toMatchObject({ typeflag: '2', linkname: 'tool', size: 0 })
    expect(byName.get('bin/hard')?.header).toMatchObject({ typeflag: '1', size: 0 })
    expect(byName.get('bin/hard')?.header.linkname.replace(/^\.\//, '')).toBe('bin/tool')
    expect(byName.get(LONG)?.content).toBe('long name')
    expect(byName.get('pipe')?.header.typeflag).toBe('6')
    if (format !== 'ustar') expect(byName.get('longlink')?.header.linkname).toBe(`../${'t'.repeat(120)}`)
  })

  test('the same events whatever the chunk boundaries', () => {
    const tar = tars.get('posix') as Buffer
    const whole = parse(tar)
    for (const step of [1, 7, BLOCK - 1, BLOCK, BLOCK + 1, 3000]) expect(parse(tar, step)).toEqual(whole)
  })

  test('sparse files: logical sizes from old GNU and pax 0.0, 0.1 and 1.0 headers, nothing allocated', async () => {
    const root = join(dir, 'sparse')
    await mkdir(root, { recursive: true })
    await writeFile(join(root, 'holes'), 'x')
    // 10 GiB with one byte of data at the start and one at the end: stored as a few blocks.
    await truncate(join(root, 'holes'), 10 * 1024 ** 3)
    await execa('sh', [
      '-c',
      `printf y | dd of=${join(root, 'holes')} bs=1 seek=${10 * 1024 ** 3 - 1} conv=notrunc`,
    ])
    for (const args of [
      ['--format=gnu'],
      ['--format=posix', '--sparse-version=0.0'],
      ['--format=posix', '--sparse-version=0.1'],
      ['--format=posix', '--sparse-version=1.0'],
    ]) {
      const { stdout } = await execa('tar', ['-C', root, '--sparse', ...args, '-cf', '-', 'holes'], {
        encoding: 'buffer',
      })
      const tar = Buffer.from(stdout)
      expect(tar.length).toBeLessThan(64 * 1024)
      const [entry] = parse(tar)
      expect(entry?.header).toMatchObject({ name: 'holes', size: 10 * 1024 ** 3, sparse: true })
      expect(entry?.bytes).toBeLessThan(64 * 1024)
    }
  })
})

describe('TarParser on broken tars', () => {
  test('a tar cut inside an entry is a format error naming the entry', async () => {
    const tar = await packLayer([{ name: 'etc/motd', content: 'x'.repeat(5000) }])
    expect(() => parse(tar.subarray(0, 2000))).toThrow(/ends early inside etc\/motd/)
  })

  test('a header that claims a huge size with little data behind it ends early, without allocating', async () => {
    const tar = await packLayer([{ name: 'huge', content: 'tiny' }])
    // 0o77777777777 bytes (8 GiB) in the size field, checksum fixed up.
    tar.write('77777777777\0', 124, 'latin1')
    tar.write('        ', 148, 'latin1')
    let sum = 0
    for (let i = 0; i < BLOCK; i++) sum += tar[i] ?? 0
    tar.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1')
    const parser = new TarParser()
    const events = [...parser.feed(tar)]
    expect(events[0]).toMatchObject({ kind: 'entry', header: { name: 'huge', size: 8 * 1024 ** 3 - 1 } })
    expect(() => parser.finish()).toThrow(TarFormatError)
  })

  test('a corrupted header checksum is a format error', async () => {
    const tar = await packLayer([{ name: 'a', content: 'a' }])
    tar[0] = 0x62
    expect(() => parse(tar)).toThrow(/checksum/)
  })

  test('bytes after the end-of-archive blocks are ignored', async () => {
    const tar = Buffer.concat([await packLayer([{ name: 'a', content: 'a' }]), Buffer.from('trailing junk')])
    expect(parse(tar).map((entry) => entry.header.name)).toEqual(['a'])
  })

  test('pax path, linkpath, size, uid and gid override the header', async () => {
    const tar = await packLayer([
      { name: 'short', content: 'abc', pax: { path: 'from/pax', uid: '70000', gid: '70001' } },
      { name: 'l', linkname: 'x', pax: { linkpath: 'pax/target' } },
    ])
    const [file, symlinkEntry] = parse(tar)
    expect(file?.header).toMatchObject({ name: 'from/pax', uid: 70000, gid: 70001, size: 3 })
    expect(symlinkEntry?.header.linkname).toBe('pax/target')
  })
})
