import { describe, expect, test } from 'vitest'
import { ImgtestError } from '../errors.ts'
import type { HistoryEntry, ImageSnapshot } from '../image/snapshot.ts'
import { checkSize, shortCreatedBy, sizeSummary } from './size-checks.ts'

const MB = 1_000_000

function snapshot(
  layerSizes: number[],
  options: { history?: HistoryEntry[]; basis?: ImageSnapshot['sizeBasis']; ref?: string } = {},
): ImageSnapshot {
  const basis = options.basis ?? 'uncompressed'
  return {
    ref: options.ref ?? 'example/app:1',
    source: basis === 'compressed' ? 'registry' : 'engine',
    digest: `sha256:${'1'.repeat(64)}`,
    platform: { os: 'linux', architecture: 'amd64' },
    config: {},
    layers: layerSizes.map((size, index) => ({
      diffId: `sha256:${String(index).repeat(64)}`,
      size,
      compressed: basis === 'compressed',
    })),
    history: options.history ?? [],
    size: layerSizes.reduce((sum, size) => sum + size, 0),
    sizeBasis: basis,
  }
}

const step = (createdBy: string, emptyLayer = false): HistoryEntry => ({ createdBy, emptyLayer })

describe('checkSize: size.total', () => {
  test('equal or smaller passes with the default ratio 1.0', () => {
    expect(checkSize(snapshot([10 * MB]), snapshot([10 * MB]))).toEqual([])
    expect(checkSize(snapshot([10 * MB]), snapshot([4 * MB]))).toEqual([])
  })

  test('one byte over fails, with both sizes, the ratio and the limit in the message', () => {
    expect(checkSize(snapshot([10 * MB]), snapshot([10 * MB + 1]))).toEqual([
      {
        check: 'size.total',
        upstream: 10 * MB,
        rebuilt: 10 * MB + 1,
        allowed: false,
        message: 'total size: rebuilt 10.0 MB is 1.00× upstream 10.0 MB; allowed at most 1.00× = 10.0 MB',
      },
    ])
  })

  test('maxRatio and slackBytes widen the limit', () => {
    const up = snapshot([10 * MB])
    expect(checkSize(up, snapshot([12 * MB]), { maxRatio: 1.2 })).toEqual([])
    expect(checkSize(up, snapshot([12 * MB]), { maxRatio: 1.1, slackBytes: MB })).toEqual([])
    expect(checkSize(up, snapshot([13 * MB]), { maxRatio: 1.1, slackBytes: MB })[0]?.message).toBe(
      'total size: rebuilt 13.0 MB is 1.30× upstream 10.0 MB; allowed at most 1.10× + 1.00 MB slack = 12.0 MB',
    )
  })

  test('compressed sizes are named as such', () => {
    const findings = checkSize(
      snapshot([MB], { basis: 'compressed' }),
      snapshot([2 * MB], { basis: 'compressed' }),
    )
    expect(findings[0]?.message).toMatch(
      /^total size \(compressed\): rebuilt 2.00 MB is 2.00× upstream 1.00 MB/,
    )
  })

  test('an empty upstream gives no ratio', () => {
    expect(checkSize(snapshot([]), snapshot([5]))[0]?.message).toBe(
      'total size: rebuilt 5 B is more than upstream 0 B; allowed at most 1.00× = 0 B',
    )
  })

  test('compressed against uncompressed is a usage error naming both images', () => {
    const up = snapshot([MB], { ref: 'docker://reg/app:1', basis: 'compressed' })
    const rb = snapshot([MB], { ref: 'app-hardened:1' })
    expect(() => checkSize(up, rb)).toThrow(ImgtestError)
    try {
      checkSize(up, rb)
    } catch (error) {
      expect((error as ImgtestError).code).toBe('IMGTEST_USAGE')
      expect((error as ImgtestError).message).toBe(
        'cannot compare sizes: docker://reg/app:1 has compressed sizes (registry) and app-hardened:1 has uncompressed ' +
          'sizes (engine); a registry gives compressed sizes, an engine or archive uncompressed ones: read both ' +
          'images from the same kind of source',
      )
    }
  })

  test.each([
    { maxRatio: 0 },
    { maxRatio: -1 },
    { maxRatio: Number.NaN },
    { slackBytes: -1 },
    { slackBytes: Infinity },
  ])('bad options %j are a usage error', (options) => {
    expect(() => checkSize(snapshot([1]), snapshot([1]), options)).toThrow(
      expect.objectContaining({ code: 'IMGTEST_USAGE' }),
    )
  })
})

describe('checkSize: size.layer', () => {
  const history = [
    step('/bin/sh -c #(nop) ADD file:0123456789abcdef in / '),
    step('/bin/sh -c #(nop)  ENV LANG=C.UTF-8', true),
    step(
      'RUN /bin/sh -c apt-get update && apt-get install -y --no-install-recommends curl ca-certificates # buildkit',
    ),
  ]

  test('layers paired by index, keyed by index and the short history step', () => {
    const up = snapshot([5 * MB, 2 * MB], { history })
    const rb = snapshot([5 * MB, 3 * MB], { history })
    expect(checkSize(up, rb, { maxRatio: 2, layers: true })).toEqual([])
    // 8 MB is within 1.2 × 7 MB in total, but the second layer grew by half.
    expect(checkSize(up, rb, { maxRatio: 1.2, layers: true })).toEqual([
      {
        check: 'size.layer',
        key: '1: RUN apt-get update && apt-get install -…',
        upstream: 2 * MB,
        rebuilt: 3 * MB,
        allowed: false,
        message:
          'layer 1: RUN apt-get update && apt-get install -…: rebuilt 3.00 MB is 1.50× upstream 2.00 MB; ' +
          'allowed at most 1.20× = 2.40 MB',
      },
    ])
  })

  test('not compared unless asked, nor when the layer counts differ', () => {
    expect(checkSize(snapshot([MB, MB]), snapshot([MB, 0.5 * MB, 0.5 * MB]), { layers: true })).toEqual([])
    expect(checkSize(snapshot([MB, MB]), snapshot([0.5 * MB, 1.5 * MB]))).toEqual([])
  })

  test('without history the key is the index', () => {
    expect(checkSize(snapshot([MB, MB]), snapshot([0.5 * MB, 1.5 * MB]), { layers: true })).toEqual([
      expect.objectContaining({ check: 'size.layer', key: '1' }),
    ])
  })
})

describe('sizeSummary', () => {
  test('rows with the history step of each non-empty layer', () => {
    const summary = sizeSummary(
      snapshot([3, 4], { history: [step('ADD a /'), step('ENV X=1', true), step('RUN b')] }),
    )
    expect(summary).toEqual({
      ref: 'example/app:1',
      total: 7,
      basis: 'uncompressed',
      layers: [
        { index: 0, size: 3, diffId: `sha256:${'0'.repeat(64)}`, createdBy: 'ADD a /' },
        { index: 1, size: 4, diffId: `sha256:${'1'.repeat(64)}`, createdBy: 'RUN b' },
      ],
    })
  })

  test('history that does not line up with the layers is left out rather than guessed', () => {
    const summary = sizeSummary(snapshot([3, 4], { history: [step('RUN squashed')] }))
    expect(summary.layers.map((row) => row.createdBy)).toEqual([undefined, undefined])
  })
})

describe('shortCreatedBy', () => {
  test.each([
    ['/bin/sh -c #(nop)  CMD ["sh"]', 'CMD ["sh"]'],
    ['/bin/sh -c apt-get update', 'RUN apt-get update'],
    ['RUN /bin/sh -c make # buildkit', 'RUN make'],
    ['RUN |2 A=1 B=2 /bin/sh -c make', 'RUN make'],
    ['COPY busybox /bin/busybox # buildkit', 'COPY busybox /bin/busybox'],
  ])('%s → %s', (createdBy, short) => {
    expect(shortCreatedBy(createdBy)).toBe(short)
  })

  test('long steps are cut with …', () => {
    expect(shortCreatedBy(`RUN ${'x'.repeat(100)}`, 10)).toBe('RUN xxxxx…')
  })
})
