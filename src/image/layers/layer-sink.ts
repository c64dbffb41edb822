import { createHash } from 'node:crypto'
import type { Transform } from 'node:stream'
import { createGunzip, createZstdDecompress } from 'node:zlib'
import type { CaptureMatcher } from './capture-matcher.ts'
import { type LayerIndex, LayerIndexer } from './layer-index.ts'
import { TarParser } from './tar-parser.ts'

export type Compression = 'gzip' | 'zstd' | 'none'

/**
 * How a layer blob is compressed, from its first bytes (media types lie more often than magic numbers).
 *
 * @example
 * compressionOf(Buffer.from([0x1f, 0x8b, 8, 0])) // 'gzip'
 */
export function compressionOf(head: Buffer): Compression {
  if (head[0] === 0x1f && head[1] === 0x8b) return 'gzip'
  if (head[0] === 0x28 && head[1] === 0xb5 && head[2] === 0x2f && head[3] === 0xfd) return 'zstd'
  return 'none'
}

const MAGIC_BYTES = 4

/**
 * Takes the bytes of one layer blob as they arrive (gzip, zstd or a plain tar), decompresses them,
 * hashes the tar (its sha256 is the diff id) and indexes it, holding no more than the decompressor's
 * buffers plus captured files. `write` resolves when the sink can take more.
 *
 * @example
 * const sink = new LayerSink(capture)
 * for await (const chunk of blob) await sink.write(chunk)
 * const index = await sink.end() // index.diffId is what was read, for the caller to check
 */
export class LayerSink {
  readonly #hash = createHash('sha256')
  readonly #parser = new TarParser()
  readonly #indexer: LayerIndexer
  #head: Buffer[] = []
  #headBytes = 0
  #started = false
  #inflate: Transform | undefined
  #error: unknown
  /** Bytes of tar read so far, for messages. */
  tarBytes = 0

  constructor(capture: CaptureMatcher) {
    this.#indexer = new LayerIndexer(capture)
  }

  /** The tar entry being read when something failed. */
  get current(): string | undefined {
    return this.#parser.current
  }

  async write(chunk: Buffer): Promise<void> {
    if (this.#error) throw this.#error
    if (!this.#started) {
      this.#head.push(Buffer.from(chunk))
      this.#headBytes += chunk.length
      if (this.#headBytes < MAGIC_BYTES) return
      chunk = this.#start()
    }
    const inflate = this.#inflate
    if (!inflate) return this.#consume(chunk)
    if (!inflate.write(chunk)) await this.#settled(inflate, 'drain')
    if (this.#error) throw this.#error
  }

  async end(): Promise<LayerIndex> {
    if (this.#error) throw this.#error
    if (!this.#started) {
      const rest = this.#start()
      if (!this.#inflate) this.#consume(rest)
      else this.#inflate.write(rest)
    }
    const inflate = this.#inflate
    if (inflate) {
      inflate.end()
      await this.#settled(inflate, 'end')
    }
    if (this.#error) throw this.#error
    this.#parser.finish()
    return this.#indexer.result(`sha256:${this.#hash.digest('hex')}`)
  }

  // Picks the decompressor from the first bytes; returns those bytes to feed on.
  #start(): Buffer {
    this.#started = true
    const head = Buffer.concat(this.#head)
    this.#head = []
    const compression = compressionOf(head)
    if (compression === 'none') return head
    const inflate = compression === 'gzip' ? createGunzip() : createZstdDecompress()
    inflate.on('data', (data: Buffer) => {
      try {
        this.#consume(data)
      } catch (error) {
        this.#fail(error)
      }
    })
    inflate.on('error', (error) => this.#fail(error))
    this.#inflate = inflate
    return head
  }

  #consume(chunk: Buffer): void {
    this.#hash.update(chunk)
    this.tarBytes += chunk.length
    for (const event of this.#parser.feed(chunk)) this.#indexer.handle(event)
  }

  #fail(error: unknown): void {
    this.#error ??= error
    this.#inflate?.destroy()
  }

  // Waits for an event of the decompressor, or for it to fail or close.
  #settled(inflate: Transform, event: 'drain' | 'end'): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        inflate.off(event, done)
        inflate.off('close', done)
        inflate.off('error', done)
        resolve()
      }
      inflate.once(event, done)
      inflate.once('close', done)
      inflate.once('error', done)
    })
  }
}
