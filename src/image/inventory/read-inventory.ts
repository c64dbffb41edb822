import type { FileIndex } from '../file-index.ts'
import { readApkPackages } from './apk-packages.ts'
import { readDpkgPackages } from './dpkg-packages.ts'
import { readNpmPackages } from './npm-packages.ts'
import { readOsRelease } from './os-release.ts'
import type { Inventory } from './package.ts'
import { readPythonPackages } from './python-packages.ts'
import { type RpmReadOptions, readRpmPackages } from './rpm-packages.ts'

/**
 * Every package of an image, from the files captured while its layers streamed (DEFAULT_CAPTURE):
 * dpkg (status and distroless status.d), apk, rpm (sqlite rpmdb), Python distributions and Node
 * packages, plus the distribution from os-release. Malformed input is skipped and described in
 * `notes`; nothing here throws on image content.
 *
 * @example
 * const inventory = readInventory(await readFileIndex(image))
 * inventory.os // { id: 'debian', versionId: '12', prettyName: 'Debian GNU/Linux 12 (bookworm)' }
 * inventory.packages.filter((p) => p.ecosystem === 'deb').length // 88
 */
export function readInventory(index: FileIndex, options: { rpm?: RpmReadOptions } = {}): Inventory {
  const notes: string[] = []
  const os = readOsRelease(index)
  const packages = [
    ...readDpkgPackages(index, os, notes),
    ...readApkPackages(index, os, notes),
    ...readRpmPackages(index, os, notes, options.rpm),
    ...readPythonPackages(index, notes),
    ...readNpmPackages(index, notes),
  ]
  return { ...(os ? { os } : {}), packages, ...(notes.length > 0 ? { notes } : {}) }
}
