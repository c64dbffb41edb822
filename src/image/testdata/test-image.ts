import { randomBytes } from 'node:crypto'
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { execa } from 'execa'

/** A Dockerfile for the sources' tests: FROM scratch, Debian's static busybox, every interface field set. */
export const FULL_DOCKERFILE = `FROM scratch
COPY busybox /bin/busybox
ENV PATH=/bin GREETING="hello world"
EXPOSE 8080 53/udp
LABEL org.opencontainers.image.title=imgtest-test dev.imgtest=1
WORKDIR /srv
USER 1000:1000
STOPSIGNAL SIGQUIT
VOLUME /data
HEALTHCHECK --interval=5s --retries=2 CMD ["/bin/busybox", "true"]
SHELL ["/bin/busybox", "sh", "-c"]
ONBUILD RUN echo built
ENTRYPOINT ["/bin/busybox"]
CMD ["sh"]
`

/** A tag no other test uses, so parallel test files never remove each other's images. */
export function uniqueTag(name: string): string {
  return `imgtest-test/${name}:${randomBytes(4).toString('hex')}`
}

/**
 * Builds a test image from a Dockerfile next to a copy of /bin/busybox and returns its image id.
 * The image carries the label dev.imgtest=1 so a crashed run's leftovers can be found.
 */
export async function buildTestImage(tag: string, dockerfile: string = FULL_DOCKERFILE): Promise<string> {
  const context = await mkdtemp(join(tmpdir(), 'imgtest-build-'))
  try {
    await copyFile('/bin/busybox', join(context, 'busybox'))
    await writeFile(join(context, 'Dockerfile'), dockerfile)
    await execa('docker', ['build', '-q', '--no-cache', '--label', 'dev.imgtest=1', '-t', tag, context], {
      env: { DOCKER_BUILDKIT: '0' },
    })
    const { stdout } = await execa('docker', ['image', 'inspect', '--format', '{{.Id}}', tag])
    return stdout.trim()
  } finally {
    await rm(context, { recursive: true, force: true })
  }
}

/** Removes test images by tag; images shared with other tags stay (docker only untags them). */
export async function removeTestImages(...tags: string[]): Promise<void> {
  if (tags.length > 0) await execa('docker', ['image', 'rm', '--force', ...tags], { reject: false })
}
