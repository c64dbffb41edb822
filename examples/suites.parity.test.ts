import { pair, suites } from 'imgtest'

// The upstream's own sanity checks, run in one-shot containers of both images: every case that
// passes on upstream must pass on the rebuild. `imgtest --junit` lists each case with both outcomes.
const web = pair({ upstream: 'example/web:1', rebuilt: 'example/web-hardened:1' })

test('upstream sanity suite', async () => {
  await expect(web).toPassUpstreamSuite(
    suites.command([
      {
        name: 'serves its index page',
        command: ['cat', '/srv/www/index.html'],
        expect: { stdout: /<h1>example web<\/h1>/ },
      },
      { name: 'httpd is there', command: ['httpd', '--help'] },
      { name: 'sh runs', command: ['sh', '-c', 'echo ok'], expect: { stdout: 'ok' } },
    ]),
  )
})
