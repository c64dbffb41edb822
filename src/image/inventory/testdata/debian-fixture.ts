import { readFileSync } from 'node:fs'
import type { FileIndex } from '../../file-index.ts'
import { type EntrySpec, fileIndexOf, symlink } from '../../testdata/file-index-of.ts'

const here = (name: string): string => readFileSync(new URL(name, import.meta.url), 'utf8')

/**
 * The Debian fixture pair as FileIndex objects, from data taken out of the real images (see
 * README.md here): the dpkg status (the same file in both), /usr/share/doc as each image has it,
 * and os-release (/etc/os-release a symlink to /usr/lib/os-release, as on Debian).
 */
export function debianFixtureIndex(side: 'upstream' | 'rebuilt'): FileIndex {
  const specs: EntrySpec[] = [symlink('/etc/os-release', '../usr/lib/os-release')]
  for (const line of here(`debian-12-${side}-doc.tsv`).split('\n')) {
    const [kind, path, target] = line.split('\t')
    if (!path) continue
    if (kind === 'l') specs.push(symlink(path, target ?? ''))
    else specs.push({ path, type: kind === 'd' ? 'dir' : 'file' })
  }
  return fileIndexOf(specs, {
    contents: {
      '/var/lib/dpkg/status': here('debian-12-status'),
      '/usr/lib/os-release': here('debian-12-os-release'),
    },
  })
}
