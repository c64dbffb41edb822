import { describe, expect, test } from 'vitest'
import { fixtures, runtimeFixtures } from '../fixtures/images.ts'
import { image } from '../src/image/image-handle.ts'
import { startContainer } from '../src/runtime/start-container.ts'
import { imgtestMatchers } from './index.ts'

// Real containers of the run-* fixtures.
expect.extend(imgtestMatchers)

const failure = (run: Promise<unknown>) =>
  run.then(
    () => {
      throw new Error('expected the matcher to fail')
    },
    (error: Error) => error.message,
  )

describe('toRunAsNonRoot', () => {
  test('passes on USER 65532 that serves (ready by default on its exposed 8080)', async () => {
    await expect(image(runtimeFixtures.nonRoot)).toRunAsNonRoot()
    await expect(image(runtimeFixtures.nonRoot)).toRunAsNonRoot({
      ready: { port: 8080, http: { path: '/' } },
    })
  })

  test('fails on an image running as root, though it serves', async () => {
    const message = await failure(expect(image(fixtures.webUpstream)).toRunAsNonRoot())
    expect(message).toMatch(
      /runtime\.nonroot\s+user\s+a non-zero uid\s+uid 0 \(root\)\s+FAIL\s+no USER: the container runs as root/,
    )
    expect(message).not.toMatch(/runtime\.nonroot\s+ready/)
  })

  test('fails when the non-root container does not get ready, with the fact and its logs', async () => {
    const message = await failure(
      expect(image(runtimeFixtures.needsTmp)).toRunAsNonRoot({ ready: { port: 9999, timeoutMs: 1500 } }),
    )
    expect(message).toMatch(/runtime\.nonroot\s+ready/)
    expect(message).toMatch(
      /as its configured user: not ready after 1500 ms: no listener on container port 9999/,
    )
  })

  test('an image exposing no port needs a ready option', async () => {
    await expect(expect(image(fixtures.busyboxBase)).toRunAsNonRoot()).rejects.toThrow(
      /toRunAsNonRoot\(\) cannot tell when imgtest-fixture\/busybox-base:latest is ready: it exposes no TCP port/,
    )
  })
})

describe('toRunWithReadOnlyRootfs', () => {
  test('passes on a server that writes nothing, and on one writing /tmp when /tmp is writable', async () => {
    await expect(image(runtimeFixtures.nonRoot)).toRunWithReadOnlyRootfs()
    await expect(image(runtimeFixtures.needsTmp)).toRunWithReadOnlyRootfs({ writable: ['/tmp'] })
  })

  test('fails on the server writing /tmp when nothing is writable: exit code and its error in the finding', async () => {
    const message = await failure(expect(image(runtimeFixtures.needsTmp)).toRunWithReadOnlyRootfs())
    expect(message).toMatch(/runtime\.readonly\s+ready\s+ready\s+exited with code 1/)
    expect(message).toMatch(
      /with a read-only root and no writable path: exited with code 1 before it was ready/,
    )
    expect(message).toMatch(/Read-only file system/)
  })
})

describe('toRunWithoutCapabilities', () => {
  test('passes on a server that needs no capability', async () => {
    await expect(image(runtimeFixtures.nonRoot)).toRunWithoutCapabilities()
    await expect(image(runtimeFixtures.shellLess)).toRunWithoutCapabilities()
  })

  test('fails on a server that chowns at start (CAP_CHOWN)', async () => {
    const message = await failure(expect(image(runtimeFixtures.needsChown)).toRunWithoutCapabilities())
    expect(message).toMatch(/runtime\.capabilities\s+ready\s+ready\s+exited with code 1/)
    expect(message).toMatch(/with every capability dropped and no-new-privileges: exited with code 1/)
    expect(message).toMatch(/chown.*Operation not permitted/)
  })

  test('the same server gets ready when run with the default capabilities: the finding is about capabilities only', async () => {
    await using server = await startContainer(runtimeFixtures.needsChown, {
      ready: { port: 8080 },
      labels: { 'dev.imgtest': '1' },
    })
    expect(server.readyAfterMs).toBeGreaterThan(0)
  })
})

describe('stays up', () => {
  test('a server that is ready, then dies, fails with what happened after ready', async () => {
    // run-crashes-later serves on 8080, then exits 4 after 300 ms.
    const message = await failure(expect(image(runtimeFixtures.crashesLater)).toRunWithoutCapabilities())
    expect(message).toMatch(
      /runtime\.capabilities\s+stays up\s+up and answering\s+exited with code 4 within 1000 ms/,
    )
    expect(message).toMatch(/cache write failed/)
  })
})
