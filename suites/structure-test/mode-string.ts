import type { FileEntry } from '../../src/image/file-index.ts'

// Go's os.FileMode.String() letters, which CST's `permissions` strings are compared against.
const TYPE_LETTER: Partial<Record<FileEntry['type'], string>> = {
  dir: 'd',
  symlink: 'L',
  block: 'D',
  char: 'Dc',
  fifo: 'p',
}

/**
 * A file's mode as container-structure-test prints it (Go's `FileMode.String()`): type letters,
 * `u`/`g`/`t` for setuid/setgid/sticky, `-` when there is none, then `rwxrwxrwx`.
 *
 * @example
 * modeString({ type: 'dir', mode: 0o755 }) // 'drwxr-xr-x'
 * modeString({ type: 'file', mode: 0o4755 }) // 'urwxr-xr-x'
 */
export function modeString(entry: Pick<FileEntry, 'type' | 'mode'>): string {
  let prefix = TYPE_LETTER[entry.type] ?? ''
  if (entry.mode & 0o4000) prefix += 'u'
  if (entry.mode & 0o2000) prefix += 'g'
  if (entry.mode & 0o1000) prefix += 't'
  const rwx = 'rwxrwxrwx'
    .split('')
    .map((letter, i) => (entry.mode & (1 << (8 - i)) ? letter : '-'))
    .join('')
  return `${prefix === '' ? '-' : prefix}${rwx}`
}
