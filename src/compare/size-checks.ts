import { ImgtestError } from '../errors.ts'
import type { ImageSnapshot } from '../image/snapshot.ts'
import type { Finding } from './finding.ts'
import { newFinding } from './finding.ts'
import { formatBytes } from './format-bytes.ts'

export interface SizeOptions {
  /** Largest allowed rebuilt/upstream size ratio; default 1.0 (no bigger than upstream). */
  maxRatio?: number
  /** Bytes the rebuilt image may exceed the ratio by; default 0. */
  slackBytes?: number
  /** Also compare layer by layer (paired by index) when both images have the same number of layers. */
  layers?: boolean
}

export interface LayerSizeRow {
  index: number
  size: number
  diffId: string
  /** The history step that made the layer, when history and layers line up. */
  createdBy?: string
}

export interface SizeSummary {
  ref: string
  total: number
  basis: ImageSnapshot['sizeBasis']
  layers: LayerSizeRow[]
}

/**
 * Total and per-layer sizes of one image, each layer with the history step that made it.
 *
 * @example
 * sizeSummary(snapshot) // { ref: 'example/web:1', total: 7_340_032, basis: 'uncompressed', layers: [{ index: 0, size: 7_340_032, diffId: 'sha256:…', createdBy: 'COPY busybox /bin/busybox' }] }
 */
export function sizeSummary(snapshot: ImageSnapshot): SizeSummary {
  // History lists every step; only the ones that were not empty made a layer, in the same order.
  const steps = snapshot.history.filter((entry) => !entry.emptyLayer)
  const aligned = steps.length === snapshot.layers.length
  return {
    ref: snapshot.ref,
    total: snapshot.size,
    basis: snapshot.sizeBasis,
    layers: snapshot.layers.map((layer, index) => {
      const createdBy = aligned ? steps[index]?.createdBy : undefined
      return {
        index,
        size: layer.size,
        diffId: layer.diffId,
        ...(createdBy === undefined ? {} : { createdBy }),
      }
    }),
  }
}

/**
 * A history step in a few words: the builder's `/bin/sh -c #(nop) ` and `# buildkit` noise removed,
 * a shell step shown as RUN, cut at `max` characters.
 */
export function shortCreatedBy(createdBy: string, max = 40): string {
  let text = createdBy.replace(/\s+/g, ' ').trim()
  text = text.replace(/ # buildkit$/, '')
  text = text.replace(/^\/bin\/sh -c #\(nop\) +/, '')
  // `RUN |2 A=1 B=2 /bin/sh -c …` is BuildKit's way to record build args of a shell step.
  text = text.replace(/^(RUN )?(\|\d+ (\S+=\S* )*)?\/bin\/sh -c /, 'RUN ')
  return text.length > max ? `${text.slice(0, max - 1)}…` : text
}

function validOptions(options: SizeOptions): { maxRatio: number; slackBytes: number } {
  const { maxRatio = 1, slackBytes = 0 } = options
  if (typeof maxRatio !== 'number' || !Number.isFinite(maxRatio) || maxRatio <= 0) {
    throw new ImgtestError(
      'IMGTEST_USAGE',
      `size option maxRatio must be a number above 0, got ${String(maxRatio)}; 1 means "no bigger than upstream"`,
    )
  }
  if (typeof slackBytes !== 'number' || !Number.isFinite(slackBytes) || slackBytes < 0) {
    throw new ImgtestError(
      'IMGTEST_USAGE',
      `size option slackBytes must be a number of bytes, 0 or more, got ${String(slackBytes)}`,
    )
  }
  return { maxRatio, slackBytes }
}

function overLimit(
  what: string,
  up: number,
  rb: number,
  maxRatio: number,
  slackBytes: number,
): string | undefined {
  const limit = up * maxRatio + slackBytes
  if (rb <= limit) return undefined
  const ratio = up > 0 ? `${(rb / up).toFixed(2)}×` : 'more than'
  const slack = slackBytes > 0 ? ` + ${formatBytes(slackBytes)} slack` : ''
  return (
    `${what}: rebuilt ${formatBytes(rb)} is ${ratio} upstream ${formatBytes(up)}; ` +
    `allowed at most ${maxRatio.toFixed(2)}×${slack} = ${formatBytes(limit)}`
  )
}

/**
 * Size parity: `size.total` when the rebuilt image is larger than `upstream × maxRatio + slackBytes`,
 * and with `layers: true` a `size.layer` finding per layer over the same rule (layers paired by
 * index, only when both images have as many; `sizeSummary` gives the rows for a report otherwise).
 * Both images must be measured on the same basis: a registry gives compressed sizes, an engine or
 * archive uncompressed ones.
 *
 * @example
 * checkSize(upstream, rebuilt, { maxRatio: 1.1, slackBytes: 1_000_000 })
 * // → [{ check: 'size.total', upstream: 10_000_000, rebuilt: 13_000_000, allowed: false,
 * //      message: 'total size: rebuilt 13.0 MB is 1.30× upstream 10.0 MB; allowed at most 1.10× + 1.00 MB slack = 12.0 MB' }]
 */
export function checkSize(
  upstream: ImageSnapshot,
  rebuilt: ImageSnapshot,
  options: SizeOptions = {},
): Finding[] {
  const { maxRatio, slackBytes } = validOptions(options)
  if (upstream.sizeBasis !== rebuilt.sizeBasis) {
    throw new ImgtestError(
      'IMGTEST_USAGE',
      `cannot compare sizes: ${upstream.ref} has ${upstream.sizeBasis} sizes (${upstream.source}) and ` +
        `${rebuilt.ref} has ${rebuilt.sizeBasis} sizes (${rebuilt.source}); a registry gives compressed sizes, ` +
        'an engine or archive uncompressed ones: read both images from the same kind of source',
    )
  }
  const basis = upstream.sizeBasis === 'compressed' ? ' (compressed)' : ''
  const findings: Finding[] = []
  const total = overLimit(`total size${basis}`, upstream.size, rebuilt.size, maxRatio, slackBytes)
  if (total !== undefined) {
    findings.push(
      newFinding({ check: 'size.total', upstream: upstream.size, rebuilt: rebuilt.size, message: total }),
    )
  }
  if (options.layers && upstream.layers.length === rebuilt.layers.length) {
    const up = sizeSummary(upstream).layers
    const rb = sizeSummary(rebuilt).layers
    up.forEach((u, index) => {
      const r = rb[index]
      if (r === undefined) return
      const createdBy = u.createdBy ?? r.createdBy
      const key = createdBy === undefined ? String(index) : `${index}: ${shortCreatedBy(createdBy)}`
      const message = overLimit(`layer ${key}${basis}`, u.size, r.size, maxRatio, slackBytes)
      if (message !== undefined) {
        findings.push(newFinding({ check: 'size.layer', key, upstream: u.size, rebuilt: r.size, message }))
      }
    })
  }
  return findings
}
