import { writeFile } from 'node:fs/promises'
import { parseArgs } from 'node:util'
import { ImgtestError } from '../errors.ts'
import { loadContents } from '../image/image-contents.ts'
import { toCycloneDx } from '../report/sbom/to-cyclonedx.ts'
import { toSpdx } from '../report/sbom/to-spdx.ts'

/** `imgtest sbom <image>`: an SBOM of what the image's package databases say is installed. */
export async function sbomCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { format: { type: 'string', default: 'cyclonedx' }, output: { type: 'string', short: 'o' } },
  })
  const [ref, extra] = positionals
  if (ref === undefined || extra !== undefined) {
    throw new ImgtestError(
      'IMGTEST_USAGE',
      'sbom takes one image: imgtest sbom <image> [--format cyclonedx|spdx]',
    )
  }
  if (values.format !== 'cyclonedx' && values.format !== 'spdx') {
    throw new ImgtestError('IMGTEST_USAGE', `--format must be cyclonedx or spdx, not '${values.format}'`)
  }
  const { snapshot, inventory } = await loadContents(ref)
  const sbom = values.format === 'spdx' ? toSpdx(snapshot, inventory) : toCycloneDx(snapshot, inventory)
  const text = `${JSON.stringify(sbom, null, 2)}\n`
  if (values.output === undefined) process.stdout.write(text)
  else await writeFile(values.output, text)
  for (const note of inventory.notes ?? []) process.stderr.write(`imgtest: note: ${note}\n`)
  return 0
}
