import { open, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { ImgtestError } from '../errors.ts'
import { type LayoutFiles, resolveOciImage, snapshotOf } from './oci-layout.ts'
import { hostPlatform } from './select-platform.ts'
import type { ImageSnapshot, Platform } from './snapshot.ts'
import { resolveEntry, scanTar, type TarIndex } from './tar-index.ts'

export interface OciSourceOptions {
  /** The image whose `org.opencontainers.image.ref.name` is this; the only image when not given. */
  tag?: string | undefined
  /** The platform to pick from an image index; the host's by default. */
  platform?: Platform
}

// JSON files of a layout are small; a larger "manifest" is a wrong path or a hostile layout.
const MAX_JSON_BYTES = 8 * 1024 * 1024

/** Layout files of a directory on disk. */
export function directoryFiles(dir: string): LayoutFiles {
  return {
    where: dir,
    async read(path) {
      let handle: Awaited<ReturnType<typeof open>>
      try {
        handle = await open(join(dir, path), 'r')
      } catch (error) {
        if ((error as { code?: string }).code === 'ENOENT') return undefined
        throw error
      }
      try {
        const { size } = await handle.stat()
        if (size > MAX_JSON_BYTES) {
          throw new ImgtestError(
            'IMGTEST_BAD_ARCHIVE',
            `${dir}: ${path} has ${size} bytes, too large for JSON`,
          )
        }
        return await handle.readFile()
      } finally {
        await handle.close()
      }
    },
    async size(path) {
      try {
        return (await stat(join(dir, path))).size
      } catch {
        return undefined
      }
    },
  }
}

/** Layout files of a scanned tar: JSON entries from memory, everything else by size only. */
export function archiveFiles(index: TarIndex): LayoutFiles {
  return {
    where: index.file,
    async read(path) {
      const entry = resolveEntry(index, path)
      if (!entry) return undefined
      if (!entry.data) {
        throw new ImgtestError(
          'IMGTEST_BAD_ARCHIVE',
          `${index.file}: ${path} is not JSON (or larger than JSON gets)`,
        )
      }
      return entry.data
    },
    async size(path) {
      return resolveEntry(index, path)?.size
    },
  }
}

/**
 * Reads an image from an OCI image layout directory (`oci:dir[:tag]`), resolving indexes to the host platform.
 *
 * @example
 * const snapshot = await readOciDirectory('layouts/web', 'oci:layouts/web:v1', { tag: 'v1' })
 */
export async function readOciDirectory(
  dir: string,
  input: string,
  options: OciSourceOptions = {},
): Promise<ImageSnapshot> {
  let info: Awaited<ReturnType<typeof stat>>
  try {
    info = await stat(dir)
  } catch (error) {
    throw new ImgtestError(
      'IMGTEST_IMAGE_NOT_FOUND',
      `OCI layout directory ${dir} does not exist; check the path`,
      {
        cause: error,
      },
    )
  }
  if (!info.isDirectory()) {
    throw new ImgtestError(
      'IMGTEST_BAD_ARCHIVE',
      `${dir} is a file, not an OCI layout directory; for a tar of a layout write oci-archive:${dir}`,
    )
  }
  const image = await resolveOciImage(directoryFiles(dir), selection(options))
  return snapshotOf({ ref: input, source: 'oci', ...image })
}

/**
 * Reads an image from a tar of an OCI image layout (`oci-archive:file[:tag]`), streaming it once.
 *
 * @example
 * const snapshot = await readOciArchive('web-oci.tar', 'oci-archive:web-oci.tar')
 */
export async function readOciArchive(
  file: string,
  input: string,
  options: OciSourceOptions = {},
): Promise<ImageSnapshot> {
  const index = await scanTar(file)
  const image = await resolveOciImage(archiveFiles(index), selection(options))
  return snapshotOf({ ref: input, source: 'oci-archive', ...image })
}

function selection(options: OciSourceOptions): { tag?: string; platform: Platform } {
  const platform = options.platform ?? hostPlatform()
  return options.tag === undefined ? { platform } : { tag: options.tag, platform }
}
