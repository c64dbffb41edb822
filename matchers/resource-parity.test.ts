import { describe, expect, test } from 'vitest'
import { perfFixtures } from '../fixtures/images.ts'
import { pair } from '../src/index.ts'
import { imgtestMatchers } from './index.ts'

expect.extend(imgtestMatchers)

const ready = { port: 8080, http: { path: '/' } }
const container = { labels: { 'dev.imgtest': '1' } }

describe('toHaveResourceParity (real engine)', () => {
  test('fails on an image idling with 48 MiB more, with the runtime.memory row', async () => {
    const hungry = pair({ upstream: perfFixtures.fast, rebuilt: perfFixtures.memoryHungry })
    const error = await expect(hungry)
      .toHaveResourceParity({ ready, idleSamples: 1, container })
      .catch((e: unknown) => e)
    expect(String((error as Error).message)).toMatch(
      /runtime\.memory\s+idle\s+\d+\s+\d+\s+FAIL\s+rebuilt uses [\d.]+× upstream's memory at idle/,
    )
  })

  test('passes on an identical pair; a higher maxMemoryRatio lets the hungry image pass', async () => {
    await expect(pair({ upstream: perfFixtures.fast, rebuilt: perfFixtures.fast })).toHaveResourceParity({
      ready,
      idleSamples: 1,
      container,
    })
    await expect(
      pair({ upstream: perfFixtures.fast, rebuilt: perfFixtures.memoryHungry }),
    ).toHaveResourceParity({
      ready,
      idleSamples: 1,
      container,
      maxMemoryRatio: 1000,
    })
  })

  test('needs ready', async () => {
    await expect(
      expect(pair({ upstream: perfFixtures.fast, rebuilt: perfFixtures.fast })).toHaveResourceParity(
        undefined as never,
      ),
    ).rejects.toThrow(/toHaveResourceParity\(\) needs \{ ready \}/)
  })
})
