// A test that a vitest run is interrupted in: it starts a network and a ready container, prints
// STARTED, then waits on a start that never gets ready. Only cleanup.test.ts runs it (via vitest).
import { test } from 'vitest'
import { runtimeFixtures } from '../../../../fixtures/images.ts'
import { createNetwork } from '../../create-network.ts'
import { startContainer } from '../../start-container.ts'

const labels = { 'dev.imgtest': '1', 'dev.imgtest.ctrl-c': process.env.CTRL_C_RUN ?? '' }

test('holds containers until interrupted', async () => {
  const net = await createNetwork()
  await startContainer(runtimeFixtures.nonRoot, { network: net.name, ready: { port: 8080 }, labels })
  console.log('STARTED')
  await startContainer(runtimeFixtures.neverListens, { ready: { port: 8080, timeoutMs: 100_000 }, labels })
}, 200_000)
