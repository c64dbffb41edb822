// A rebuilt web server image checked against its upstream. Build the images with `npm run example`
// (or `node fixtures/build.ts example-web example-web-hardened`), run with `npx imgtest --root examples`.
import { pair } from 'imgtest'

const web = pair({
  upstream: 'example/web:1',
  rebuilt: 'example/web-hardened:1',
  // Expected differences: the hardened rebuild runs as a non-root user and ships no package manager.
  policy: {
    allow: [
      { check: 'interface.user', reason: 'rebuilt runs as uid 65532' },
      { check: 'fs.missing', key: '/bin/{dpkg,dpkg-deb,rpm,rpm2cpio}', reason: 'no package manager' },
    ],
  },
})

test('interface', async () => {
  await expect(web).toHaveInterfaceParity()
})

test('size', async () => {
  await expect(web).toHaveSizeParity({ maxRatio: 1 })
})

test('files, users and packages', async () => {
  await expect(web).toHaveFilesystemParity()
  await expect(web).toHavePackageParity()
})

test('hardened', async () => {
  await expect(web.rebuilt).toHaveNoPackageManager()
  await expect(web.rebuilt).toHaveFile('/srv/www/index.html', { owner: 'root' })
})
