import { createReadStream } from 'node:fs'
import { type FileHandle, open } from 'node:fs/promises'
import type { Readable } from 'node:stream'
import { createGunzip } from 'node:zlib'
import { ImgtestError } from '../../errors.ts'
import { parseArchiveManifest, selectArchiveImage } from '../docker-archive-source.ts'
import { blobPath } from '../oci-layout.ts'
import { parseImageRef } from '../ref.ts'
import { type LayerReadRequest, readBlobLayers } from './blob-layers.ts'
import { layerReadError } from './layer-error.ts'
import { readSaveStream } from './save-stream-layers.ts'
import { listTarMembers, memberStream, readMember, resolveMember, type TarMember } from './tar-members.ts'

const MAX_MANIFEST_BYTES = 8 * 1024 * 1024

async function isGzip(file: string): Promise<boolean> {
  let handle: FileHandle
  try {
    handle = await open(file, 'r')
  } catch (error) {
    throw new ImgtestError(
      'IMGTEST_IMAGE_NOT_FOUND',
      `archive ${file} cannot be opened to read its layers (${(error as { code?: string }).code ?? (error as Error).message}); check the path`,
      { cause: error },
    )
  }
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(2), 0, 2, 0)
    return bytesRead === 2 && buffer[0] === 0x1f && buffer[1] === 0x8b
  } finally {
    await handle.close()
  }
}

// A gzip-compressed archive cannot be read at random: stream it once, as the engine's export is.
async function readCompressedArchive(request: LayerReadRequest, file: string, hint: string) {
  const stream: Readable = createReadStream(file, { highWaterMark: 1024 * 1024 }).pipe(createGunzip())
  try {
    await readSaveStream(request, stream, `archive ${file}`, hint)
  } finally {
    stream.destroy()
  }
}

async function members(request: LayerReadRequest, file: string, hint: string) {
  try {
    return await listTarMembers(file)
  } catch (error) {
    throw layerReadError(request.snapshot, `archive ${file}`, error, undefined, hint)
  }
}

function memberOf(all: Map<string, TarMember>, name: string): TarMember {
  const member = resolveMember(all, name)
  if (!member) throw Object.assign(new Error(`${name} is not in the archive`), { code: 'ENOENT' })
  return member
}

/**
 * Reads the layers of a `docker save` archive (`docker-archive:file[:ref|:@n]`), legacy or OCI layout.
 * An uncompressed archive is read at random: only the headers, then each wanted layer's member once.
 *
 * @example
 * await readDockerArchiveLayers({ snapshot, wanted, capture, onIndexed })
 */
export async function readDockerArchiveLayers(request: LayerReadRequest): Promise<void> {
  const ref = parseImageRef(request.snapshot.ref)
  if (ref.transport !== 'docker-archive') throw new Error(`${request.snapshot.ref} is not a docker-archive:`)
  const file = ref.path
  const hint = `write it again with docker save -o ${file}`
  if (await isGzip(file)) return readCompressedArchive(request, file, hint)
  const all = await members(request, file, hint)
  const manifest = all.get('manifest.json')
  if (!manifest)
    throw layerReadError(request.snapshot, `archive ${file}`, new Error('no manifest.json'), undefined, hint)
  const images = parseArchiveManifest(await readMember(file, manifest, MAX_MANIFEST_BYTES), file)
  const image = selectArchiveImage(images, { reference: ref.reference, sourceIndex: ref.sourceIndex }, file)
  await readBlobLayers(
    request,
    async (_layer, position) => memberStream(file, memberOf(all, image.Layers[position] ?? '')),
    hint,
  )
}

/**
 * Reads the layers of a tar of an OCI image layout (`oci-archive:file[:tag]`): each blob by digest.
 *
 * @example
 * await readOciArchiveLayers({ snapshot, wanted, capture, onIndexed })
 */
export async function readOciArchiveLayers(request: LayerReadRequest): Promise<void> {
  const ref = parseImageRef(request.snapshot.ref)
  if (ref.transport !== 'oci-archive') throw new Error(`${request.snapshot.ref} is not an oci-archive:`)
  const file = ref.path
  const hint = `write it again with skopeo copy … oci-archive:${file}`
  if (await isGzip(file)) return readCompressedArchive(request, file, hint)
  const all = await members(request, file, hint)
  await readBlobLayers(
    request,
    async (layer) => {
      if (!layer.digest) throw new Error('the layout names no blob digest for this layer')
      return memberStream(file, memberOf(all, blobPath(layer.digest, file)))
    },
    hint,
  )
}
