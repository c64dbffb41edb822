import { ImgtestError } from '../../errors.ts'
import { entryName } from '../tar-index.ts'
import type { LayerReadRequest } from './blob-layers.ts'
import { layerReadError } from './layer-error.ts'
import { compressionOf, LayerSink } from './layer-sink.ts'
import { BLOCK, isZeroBlock, parseTarHeader } from './tar-header.ts'
import { TarParser } from './tar-parser.ts'

/** Whether the first bytes of an archive member are a layer: a compressed blob or a tar header. */
function looksLikeLayer(head: Buffer): boolean {
  if (compressionOf(head) !== 'none') return true
  if (head.length < BLOCK) return false
  if (isZeroBlock(head)) return true // an empty layer is just the end-of-archive blocks
  try {
    return parseTarHeader(head) !== undefined
  } catch {
    return false
  }
}

// Members that can hold a layer: `<id>/layer.tar` (legacy save) and `blobs/<alg>/<hex>` (OCI layout).
const isCandidate = (name: string) => name.endsWith('/layer.tar') || name.startsWith('blobs/')

/** One archive member being read as a possible layer. */
class Member {
  readonly name: string
  head: Buffer[] = []
  headBytes = 0
  sink: LayerSink | undefined
  skipped = false

  constructor(name: string) {
    this.name = name
  }
}

/**
 * Reads the layers of a `docker save` stream (the engine's export, or a compressed archive that
 * cannot be read at random): members come in any order and manifest.json comes last, so every
 * member that looks like a layer is indexed while its sha256 is computed, and recognised by that
 * hash (its diff id). Returns the diff ids found; the wanted ones are passed to `onIndexed`.
 *
 * @example
 * const found = await readSaveStream(request, stream, 'the engine’s export', 'check the engine')
 */
export async function readSaveStream(
  request: LayerReadRequest,
  stream: AsyncIterable<Buffer>,
  where: string,
  hint: string,
): Promise<Set<string>> {
  const { snapshot, capture } = request
  const wanted = new Set(request.wanted)
  const all = new Set(snapshot.layers.map((layer) => layer.diffId))
  const found = new Set<string>()
  const outer = new TarParser()
  let member: Member | undefined

  const start = async (current: Member) => {
    const head = Buffer.concat(current.head)
    current.head = []
    if (!looksLikeLayer(head)) {
      current.skipped = true
      return
    }
    current.sink = new LayerSink(capture)
    await current.sink.write(head)
  }
  const finish = async (current: Member) => {
    if (!current.sink && !current.skipped) await start(current)
    if (!current.sink) return
    const index = await current.sink.end()
    if (found.has(index.diffId) || (all.has(index.diffId) && !wanted.has(index.diffId))) return
    found.add(index.diffId)
    await request.onIndexed(index)
  }

  try {
    for await (const chunk of stream) {
      for (const event of outer.feed(chunk)) {
        if (event.kind === 'entry') {
          const name = entryName(event.header.name)
          member = event.header.typeflag === '0' && isCandidate(name) ? new Member(name) : undefined
          // An OCI blob named by a diff id we do not want (cached already) need not be read at all.
          const digest = name.replace(/^blobs\/([a-z0-9]+)\//, '$1:')
          if (member && all.has(digest) && !wanted.has(digest)) member = undefined
        } else if (event.kind === 'data') {
          if (!member || member.skipped) continue
          if (member.sink) await member.sink.write(event.chunk)
          else {
            member.head.push(Buffer.from(event.chunk))
            member.headBytes += event.chunk.length
            if (member.headBytes >= BLOCK) await start(member)
          }
        } else if (member) {
          await finish(member)
          member = undefined
        }
      }
    }
    outer.finish()
  } catch (error) {
    if (error instanceof ImgtestError) throw error
    const which = member ? `layer ${member.name} of ${where}` : where
    throw layerReadError(snapshot, which, error, member?.sink?.current ?? outer.current, hint)
  }
  const missing = request.wanted.filter((diffId) => !found.has(diffId))
  if (missing.length > 0) {
    throw new ImgtestError(
      'IMGTEST_BAD_ARCHIVE',
      `${snapshot.ref}: ${where} has no layer with diff id ${missing.join(', ')}; ${hint}`,
    )
  }
  return found
}
