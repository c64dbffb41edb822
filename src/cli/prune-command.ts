import { parseArgs } from 'node:util'
import { ImgtestError } from '../errors.ts'
import { pruneLeftovers } from '../runtime/prune-leftovers.ts'

const usage = 'usage: imgtest prune [--dry-run] [--all]'

/**
 * `imgtest prune`: removes the containers, networks and images (those structure-test setup steps
 * commit) a crashed or killed run left (everything with imgtest's owner label whose process is
 * gone) and prints each one. `--dry-run` lists only;
 * `--all` also takes those of imgtest processes still running. Exit 0, or 1 if any removal failed.
 */
export async function pruneCommand(argv: string[]): Promise<number> {
  let values: { 'dry-run'?: boolean; all?: boolean }
  try {
    ;({ values } = parseArgs({
      args: argv,
      allowPositionals: false,
      options: { 'dry-run': { type: 'boolean' }, all: { type: 'boolean' } },
    }))
  } catch (error) {
    throw new ImgtestError('IMGTEST_USAGE', `${(error as Error).message}; ${usage}`, { cause: error })
  }
  const dryRun = values['dry-run'] ?? false
  const result = await pruneLeftovers({ dryRun, all: values.all ?? false })
  const verb = dryRun ? 'would remove' : 'removed'
  for (const item of result.removed) {
    process.stdout.write(`${verb} ${item.kind} ${item.name} (${item.id.slice(0, 12)})\n`)
  }
  for (const item of result.live) {
    process.stdout.write(
      `kept ${item.kind} ${item.name} (${item.id.slice(0, 12)}): its imgtest process still runs\n`,
    )
  }
  for (const { leftover, error } of result.failed) {
    process.stderr.write(`imgtest: could not remove ${leftover.kind} ${leftover.name}: ${error}\n`)
  }
  const count = (kind: string) => result.removed.filter((item) => item.kind === kind).length
  process.stdout.write(
    `prune: ${verb} ${count('container')} containers, ${count('network')} networks, ${count('image')} images\n`,
  )
  return result.failed.length > 0 ? 1 : 0
}
