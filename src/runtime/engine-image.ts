import { ImgtestError } from '../errors.ts'
import { parseImageRef } from '../image/ref.ts'

/**
 * The name the local engine runs an image by: a bare reference or `docker-daemon:` as given, an
 * image id as `sha256:…`. Containers only run from the local engine, so other transports are a
 * usage error saying how to get the image there (imgtest never pulls on its own).
 *
 * @example
 * engineImageName('docker-daemon:example/web:1') // 'example/web:1'
 */
export function engineImageName(input: string): string {
  const ref = parseImageRef(input)
  if (ref.transport === 'auto') return input
  if (ref.transport === 'docker-daemon')
    return 'imageId' in ref ? ref.imageId : input.slice('docker-daemon:'.length)
  const how =
    ref.transport === 'docker' ? 'docker pull it' : 'docker load it (or skopeo copy it to docker-daemon:)'
  throw new ImgtestError(
    'IMGTEST_USAGE',
    `cannot run ${input}: containers run from the local engine only; ${how} first and name it by its tag`,
  )
}
