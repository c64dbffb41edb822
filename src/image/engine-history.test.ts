import { describe, expect, test } from 'vitest'
import { type EngineHistoryItem, isMetadataStep, pairEngineHistory } from './engine-history.ts'

const item = (Id: string, CreatedBy: string, Size: number): EngineHistoryItem => ({
  Id,
  Created: 1796400057,
  CreatedBy,
  Comment: '',
  Size,
})

// What the engine answered for a legacy build of COPY, ENV, WORKDIR (a layer of 0 bytes), CMD — newest first.
const LEGACY = [
  item('sha256:d4', '/bin/sh -c #(nop)  CMD ["sh"]', 0),
  item('sha256:8a', '/bin/sh -c #(nop) WORKDIR /work', 0),
  item('sha256:b4', '/bin/sh -c #(nop)  ENV A=1 PATH=/bin', 0),
  item('sha256:49', '/bin/sh -c #(nop) COPY file:73e2 in /bin/busybox ', 1982256),
]

describe('isMetadataStep', () => {
  test.each([
    ['/bin/sh -c #(nop)  ENV A=1', true],
    ['/bin/sh -c #(nop)  CMD ["sh"]', true],
    ['/bin/busybox sh -c #(nop)  LABEL a=b', true],
    ['ENV A=1', true],
    ['LABEL a=b', true],
    ['EXPOSE map[8080/tcp:{}]', true],
    ['/bin/sh -c #(nop) WORKDIR /work', false],
    ['WORKDIR /srv', false],
    ['/bin/sh -c #(nop) COPY file:abc in /', false],
    ['/bin/sh -c apt-get update', false],
    ['RUN /bin/sh -c make # buildkit', false],
    ['', false],
  ])('%j → %s', (createdBy, expected) => {
    expect(isMetadataStep(createdBy)).toBe(expected)
  })
})

describe('pairEngineHistory', () => {
  test('pairs layers with the steps that made them, oldest first', () => {
    const { layers, history, ambiguous } = pairEngineHistory(LEGACY, ['sha256:l1', 'sha256:l2'])
    expect(layers).toEqual([
      { diffId: 'sha256:l1', size: 1982256, compressed: false },
      { diffId: 'sha256:l2', size: 0, compressed: false },
    ])
    expect(history.map((entry) => entry.emptyLayer)).toEqual([false, true, false, true])
    expect(history[0]).toEqual({
      created: '2026-12-04T16:00:57.000Z',
      createdBy: '/bin/sh -c #(nop) COPY file:73e2 in /bin/busybox ',
      emptyLayer: false,
    })
    expect(ambiguous).toBe(true)
  })

  test('a single zero-size candidate for a single missing layer is certain', () => {
    const steps = [LEGACY[1], LEGACY[3]].filter((step) => step !== undefined)
    const { ambiguous, history } = pairEngineHistory(steps, ['sha256:l1', 'sha256:l2'])
    expect(history.map((entry) => entry.emptyLayer)).toEqual([false, false])
    expect(ambiguous).toBe(false)
  })

  test('every zero-size step is empty when the sized steps account for all layers', () => {
    const { layers, history, ambiguous } = pairEngineHistory(LEGACY, ['sha256:l1'])
    expect(layers).toEqual([{ diffId: 'sha256:l1', size: 1982256, compressed: false }])
    expect(history.map((entry) => entry.emptyLayer)).toEqual([false, true, true, true])
    expect(ambiguous).toBe(false)
  })

  test('intermediate layer counts settle what the guess would get wrong', () => {
    // An empty RUN that BuildKit dropped, then a WORKDIR that made a layer: the guess takes the older step.
    const items = [
      item('sha256:c3', '/bin/sh -c #(nop) WORKDIR /srv', 0),
      item('sha256:c2', '/bin/sh -c true', 0),
      item('sha256:c1', 'COPY busybox /bin/busybox', 100),
    ]
    const guessed = pairEngineHistory(items, ['sha256:a', 'sha256:b'])
    expect(guessed.history.map((entry) => entry.emptyLayer)).toEqual([false, false, true])
    expect(guessed.ambiguous).toBe(true)
    const counts = new Map([
      ['sha256:c1', 1],
      ['sha256:c2', 1],
      ['sha256:c3', 2],
    ])
    const settled = pairEngineHistory(items, ['sha256:a', 'sha256:b'], counts)
    expect(settled.history.map((entry) => entry.emptyLayer)).toEqual([false, true, false])
    expect(settled.layers.map((layer) => layer.size)).toEqual([100, 0])
  })

  test('sizes follow the layers in order', () => {
    const items = [
      item('<missing>', 'RUN b', 30),
      item('<missing>', 'ENV X=1', 0),
      item('<missing>', 'RUN a', 20),
    ]
    const { layers } = pairEngineHistory(items, ['sha256:a', 'sha256:b'])
    expect(layers.map((layer) => [layer.diffId, layer.size])).toEqual([
      ['sha256:a', 20],
      ['sha256:b', 30],
    ])
  })

  test('layers without history get size 0 and keep their diff ids', () => {
    const { layers, history } = pairEngineHistory([], ['sha256:a', 'sha256:b'])
    expect(history).toEqual([])
    expect(layers).toEqual([
      { diffId: 'sha256:a', size: 0, compressed: false },
      { diffId: 'sha256:b', size: 0, compressed: false },
    ])
  })
})
