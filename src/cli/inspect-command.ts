import { parseArgs } from 'node:util'
import { formatBytes } from '../compare/format-bytes.ts'
import { ImgtestError } from '../errors.ts'
import { loadSnapshot } from '../image/load.ts'

/** `imgtest inspect <image>`: the snapshot imgtest works from, as JSON or a short summary. */
export async function inspectCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { json: { type: 'boolean' } },
  })
  const [ref, extra] = positionals
  if (ref === undefined || extra !== undefined) {
    throw new ImgtestError('IMGTEST_USAGE', 'inspect takes one image: imgtest inspect <image>')
  }
  const snapshot = await loadSnapshot(ref)
  if (values.json) {
    process.stdout.write(`${JSON.stringify(snapshot, null, 2)}\n`)
    return 0
  }
  const { config, platform } = snapshot
  const lines = [
    `image      ${snapshot.ref} (${snapshot.source})`,
    `digest     ${snapshot.digest}`,
    `platform   ${[platform.os, platform.architecture, platform.variant].filter(Boolean).join('/')}`,
    `size       ${formatBytes(snapshot.size)} (${snapshot.sizeBasis}) in ${snapshot.layers.length} layers`,
    `entrypoint ${JSON.stringify(config.Entrypoint ?? null)}`,
    `cmd        ${JSON.stringify(config.Cmd ?? null)}`,
    `user       ${config.User || '(root)'}`,
    `workdir    ${config.WorkingDir || '/'}`,
    `ports      ${Object.keys(config.ExposedPorts ?? {}).join(' ') || '-'}`,
    `env        ${(config.Env ?? []).join(' ') || '-'}`,
  ]
  process.stdout.write(`${lines.join('\n')}\n`)
  return 0
}
