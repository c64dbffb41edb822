// The same pair as busybox.parity.test.ts, started for real: containers publish on 127.0.0.1, are
// probed from the host and removed afterwards. Run with `npx imgtest --root examples`.
import { pair } from 'imgtest'

const web = pair({ upstream: 'example/web:1', rebuilt: 'example/web-hardened:1' })
const ready = { port: 8080, http: { path: '/' } }

test('starts as fast', async () => {
  await expect(web).toHaveStartupParity({ ready })
})

test('serves the same', async () => {
  await expect(web).toServeTheSame([{ path: '/' }], { ready })
})

test('runs hardened', async () => {
  await expect(web.rebuilt).toRunAsNonRoot({ ready })
  await expect(web.rebuilt).toRunWithoutCapabilities({ ready })
})
