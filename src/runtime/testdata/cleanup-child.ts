/**
 * A run that the cleanup tests interrupt: it makes a temp dir, creates a network, starts a ready container on it,
 * then starts one that never gets ready (so a start is in flight), printing its session id and
 * each step on stdout. Run as `node cleanup-child.ts`; the test sends a signal (or SIGKILL).
 */
import { runtimeFixtures } from '../../../fixtures/images.ts'
import { makeTempDir } from '../cleanup.ts'
import { createNetwork } from '../create-network.ts'
import { SESSION_LABEL, sessionId } from '../session-label.ts'
import { startContainer } from '../start-container.ts'

const labels = { 'dev.imgtest': '1' }
// A temp dir of the run (as a suite's copy of its tests): it must go with the containers.
const dir = await makeTempDir('imgtest-cleanup-child-')
process.stdout.write(`${JSON.stringify({ label: `${SESSION_LABEL}=${sessionId}`, dir: dir.path })}\n`)
const net = await createNetwork()
await startContainer(runtimeFixtures.nonRoot, { network: net.name, ready: { port: 8080 }, labels })
process.stdout.write('started\n')
// In flight when the signal comes: created and probed, never ready.
startContainer(runtimeFixtures.neverListens, { ready: { port: 8080, timeoutMs: 120_000 }, labels }).catch(
  (error: Error) => process.stdout.write(`in-flight start ended: ${error.message.split(';')[0]}\n`),
)
setInterval(() => {}, 1000)
