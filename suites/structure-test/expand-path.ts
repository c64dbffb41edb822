import type { ImageConfig } from '../../src/image/snapshot.ts'

/**
 * A CST test path with `$VAR` and `${VAR}` replaced from the image's Env, as CST does before it
 * looks the path up; unknown variables become empty, like a shell's.
 *
 * @example
 * expandPath('$HOME/.profile', { Env: ['HOME=/home/app'] }) // '/home/app/.profile'
 */
export function expandPath(path: string, config: Pick<ImageConfig, 'Env'>): string {
  if (!path.includes('$')) return path
  const env = new Map<string, string>()
  for (const line of config.Env ?? []) {
    const eq = line.indexOf('=')
    if (eq !== -1) env.set(line.slice(0, eq), line.slice(eq + 1))
  }
  return path.replace(
    /\$\{([A-Za-z_]\w*)\}|\$([A-Za-z_]\w*)/g,
    (_, braced, bare) => env.get(braced ?? bare) ?? '',
  )
}
