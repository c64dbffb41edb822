// A rebuilt web server image checked against its upstream. Build the images with `npm run fixtures`,
// run with `npx imgtest --root examples`.
import { pair } from 'imgtest'

const web = pair({
  upstream: 'example/web:1',
  rebuilt: 'example/web-hardened:1',
  // The hardened rebuild runs as a non-root user: an expected difference.
  policy: { allow: [{ check: 'interface.user', reason: 'rebuilt runs as uid 65532' }] },
})

test('interface', async () => {
  await expect(web).toHaveInterfaceParity()
})

test('size', async () => {
  await expect(web).toHaveSizeParity({ maxRatio: 1 })
})
