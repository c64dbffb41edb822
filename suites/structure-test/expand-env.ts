import type { ImageConfig } from '../../src/image/snapshot.ts'

/**
 * `$VAR` and `${VAR}` replaced from the image's Env, as CST does to test paths before it looks
 * them up and to command tests' env values (`PATH=$PATH:/opt/bin`); unknown variables become empty.
 *
 * @example
 * expandEnv('$HOME/.profile', { Env: ['HOME=/home/app'] }) // '/home/app/.profile'
 */
export function expandEnv(text: string, config: Pick<ImageConfig, 'Env'>): string {
  if (!text.includes('$')) return text
  const env = new Map<string, string>()
  for (const line of config.Env ?? []) {
    const eq = line.indexOf('=')
    if (eq !== -1) env.set(line.slice(0, eq), line.slice(eq + 1))
  }
  return text.replace(
    /\$\{([A-Za-z_]\w*)\}|\$([A-Za-z_]\w*)/g,
    (_, braced, bare) => env.get(braced ?? bare) ?? '',
  )
}
