import type { HistoryEntry, LayerInfo } from './snapshot.ts'

/** One item of the Engine API's `GET /images/{name}/history`, which lists newest first. */
export interface EngineHistoryItem {
  Id: string
  /** Unix seconds. */
  Created: number
  CreatedBy: string
  Comment: string
  /** Bytes of the layer this step made (its uncompressed diff), 0 for steps without a layer. */
  Size: number
  Tags?: string[] | null
}

export interface PairedHistory {
  layers: LayerInfo[]
  history: HistoryEntry[]
  /** True when some zero-size steps could be either an empty layer or no layer, and the choice was a guess. */
  ambiguous: boolean
}

// Dockerfile instructions that only change the config: legacy builds write them as `<shell> #(nop)  ENV …`
// (`/bin/sh -c`, or the image's SHELL), BuildKit as `ENV …`. WORKDIR is not here: both builders may commit a (possibly empty) layer for it.
const METADATA_STEPS = new Set([
  'ENV',
  'LABEL',
  'CMD',
  'ENTRYPOINT',
  'EXPOSE',
  'VOLUME',
  'USER',
  'STOPSIGNAL',
  'HEALTHCHECK',
  'SHELL',
  'ONBUILD',
  'ARG',
  'MAINTAINER',
])

/** True when a history step's command is a Dockerfile instruction that never makes a layer. */
export function isMetadataStep(createdBy: string): boolean {
  const step = createdBy.replace(/^[^#]*#\(nop\)\s*/, '').trimStart()
  const word = step.split(/\s/, 1)[0] ?? ''
  return METADATA_STEPS.has(word.toUpperCase())
}

/**
 * Pairs the engine's history with the image's layers (RootFS.Layers, oldest first). The engine hides
 * the config's `empty_layer` flags: a step with Size > 0 made a layer; among zero-size steps the ones
 * that are not metadata instructions are taken as the layers still unaccounted for. `layerCounts`
 * (history Id → number of layers of that intermediate image, from inspecting it) settles the steps it
 * covers exactly.
 *
 * @example
 * const { layers, history } = pairEngineHistory(await image.history(), inspect.RootFS.Layers)
 */
export function pairEngineHistory(
  items: readonly EngineHistoryItem[],
  diffIds: readonly string[],
  layerCounts: ReadonlyMap<string, number> = new Map(),
): PairedHistory {
  const steps = [...items].reverse()
  // true = made a layer, false = no layer, undefined = not known yet.
  const made: (boolean | undefined)[] = steps.map((step, index) => {
    if (step.Size > 0) return true
    const count = layerCounts.get(step.Id)
    const previous = index === 0 ? 0 : layerCounts.get(steps[index - 1]?.Id ?? '')
    if (count !== undefined && previous !== undefined) return count > previous
    return undefined
  })
  let needed = diffIds.length - made.filter((value) => value === true).length
  const open = made.flatMap((value, index) => (value === undefined ? [index] : []))
  const ambiguous = needed > 0 && needed < open.length
  // Likely layers first (RUN, COPY, WORKDIR …), then metadata steps, each oldest first.
  const likely = open.filter((index) => !isMetadataStep(steps[index]?.CreatedBy ?? ''))
  const unlikely = open.filter((index) => isMetadataStep(steps[index]?.CreatedBy ?? ''))
  for (const index of [...likely, ...unlikely]) {
    made[index] = needed > 0
    needed--
  }

  const layers: LayerInfo[] = []
  const history: HistoryEntry[] = steps.map((step, index) => {
    if (made[index] && layers.length < diffIds.length) {
      layers.push({ diffId: diffIds[layers.length] ?? '', size: step.Size, compressed: false })
    }
    const entry: HistoryEntry = { emptyLayer: made[index] !== true }
    if (step.Created > 0) entry.created = new Date(step.Created * 1000).toISOString()
    if (step.CreatedBy) entry.createdBy = step.CreatedBy
    if (step.Comment) entry.comment = step.Comment
    return entry
  })
  // An image whose config carries no history for some layers: their size is not known from the engine.
  for (const diffId of diffIds.slice(layers.length)) layers.push({ diffId, size: 0, compressed: false })
  return { layers, history, ambiguous }
}
