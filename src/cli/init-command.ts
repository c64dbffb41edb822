import { access, writeFile } from 'node:fs/promises'
import { join, relative } from 'node:path'
import { parseArgs } from 'node:util'
import { ImgtestError } from '../errors.ts'

const CONFIG = `import { defineConfig } from 'imgtest'

// Differences every pair of this project may have. See docs/policy.md.
export default defineConfig({
  policy: {
    allow: [
      // { check: 'interface.user', reason: 'rebuilt images run as non-root' },
      // { check: 'fs.missing', key: '/usr/share/{doc,man}/**', reason: 'docs dropped' },
    ],
  },
})
`

function parityTest(upstream: string, rebuilt: string): string {
  return `import { pair } from 'imgtest'

const image = pair({ upstream: ${JSON.stringify(upstream)}, rebuilt: ${JSON.stringify(rebuilt)} })

test('interface', async () => {
  await expect(image).toHaveInterfaceParity()
})

test('size', async () => {
  await expect(image).toHaveSizeParity({ maxRatio: 1 })
})

test('files, users and packages', async () => {
  await expect(image).toHaveFilesystemParity()
  await expect(image).toHavePackageParity()
})
`
}

/** `imgtest init [--upstream <ref>] [--rebuilt <ref>] [--dir <dir>]`: a config and a first parity test; never overwrites. */
export async function initCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      upstream: { type: 'string', default: 'python:3.12' },
      rebuilt: { type: 'string', default: 'registry.example/python:3.12' },
      dir: { type: 'string', default: '.' },
    },
  })
  if (positionals.length)
    throw new ImgtestError('IMGTEST_USAGE', `init takes no arguments, got '${positionals[0]}'`)
  const files: [string, string][] = [
    [join(values.dir, 'imgtest.config.ts'), CONFIG],
    [join(values.dir, 'images.parity.test.ts'), parityTest(values.upstream, values.rebuilt)],
  ]
  for (const [path] of files) {
    const exists = await access(path).then(
      () => true,
      () => false,
    )
    if (exists)
      throw new ImgtestError(
        'IMGTEST_USAGE',
        `${relative('.', path) || path} already exists; init never overwrites`,
      )
  }
  for (const [path, text] of files) {
    await writeFile(path, text, { flag: 'wx' })
    process.stdout.write(`wrote ${relative('.', path) || path}\n`)
  }
  process.stdout.write('next: npx imgtest\n')
  return 0
}
