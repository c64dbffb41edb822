import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { pipeline } from 'node:stream/promises'
import { ImgtestError } from '../errors.ts'
import { makeTempDir, removeContainer, trackContainer } from '../runtime/cleanup.ts'
import { runtimeEngine } from '../runtime/engine.ts'
import { OWNER_LABEL } from '../runtime/owner-label.ts'
import { SESSION_LABEL, sessionId } from '../runtime/session-label.ts'

/** A directory copied out of an image: its host path, removed with `remove()` or `await using`. */
export interface CopiedDir extends AsyncDisposable {
  path: string
  remove(): Promise<void>
}

/**
 * Copies a directory out of an image into a fresh host temp dir (through a created, never
 * started container, removed afterwards) and returns the host path of the copy; the caller
 * removes it (`remove()` or `await using`; a signal or exit removes it too). Tests an upstream
 * image ships can so be mounted into the rebuilt image.
 *
 * @example
 * await using tests = await copyFromImage('python:3.12', '/usr/local/lib/python3.12/test')
 * tests.path // <tmp>/imgtest-suite-tests-XXXXXX/test
 */
export async function copyFromImage(image: string, path: string): Promise<CopiedDir> {
  const docker = await runtimeEngine()
  const container = await docker
    .createContainer({
      Image: image,
      Entrypoint: ['/imgtest-never-started'],
      Labels: { [OWNER_LABEL]: 'imgtest', [SESSION_LABEL]: sessionId },
    })
    .catch((error: unknown) => {
      throw new ImgtestError(
        'IMGTEST_IMAGE_NOT_FOUND',
        `cannot create a container of ${image} to copy ${path} out of it; check the image is in the local engine`,
        { cause: error },
      )
    })
  trackContainer(container.id)
  try {
    const archive = await container.getArchive({ path }).catch((error: unknown) => {
      throw new ImgtestError(
        'IMGTEST_USAGE',
        `${path} is not in ${image}; give the path of the tests inside the image`,
        { cause: error },
      )
    })
    const dir = await makeTempDir('imgtest-suite-tests-')
    // The host's tar keeps modes and symlinks; the archive's root is the copied directory's name.
    const tar = spawn('tar', ['-x', '-C', dir.path], { stdio: ['pipe', 'ignore', 'inherit'] })
    const exited = new Promise<number>((resolve) => tar.on('close', (code) => resolve(code ?? 1)))
    const code = await pipeline(archive, tar.stdin).then(
      () => exited,
      () => exited,
    )
    if (code !== 0) {
      await dir.remove()
      throw new ImgtestError(
        'IMGTEST_USAGE',
        `tar could not extract ${path} of ${image} into a temp dir (exit ${code})`,
      )
    }
    const base = path.replace(/\/+$/, '').split('/').pop() || '.'
    return { path: join(dir.path, base), remove: dir.remove, [Symbol.asyncDispose]: dir.remove }
  } finally {
    await removeContainer(container.id)
  }
}
