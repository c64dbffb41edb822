import { parseArgs } from 'node:util'
import { compareImages } from '../compare/compare-images.ts'
import { verdictOf } from '../compare/finding.ts'
import { formatBytes } from '../compare/format-bytes.ts'
import { applyPolicy, mergePolicies } from '../compare/policy.ts'
import { loadPolicyFile } from '../compare/policy-file.ts'
import { loadConfig } from '../config/load-config.ts'
import { ImgtestError } from '../errors.ts'
import type { ImageSnapshot } from '../image/snapshot.ts'
import { formatFindingsTable } from '../report/table.ts'
import { runtimeCliOptions, runtimeOptionsFromCli } from './runtime-options.ts'

/** `imgtest compare <upstream> <rebuilt>`: exit 0 parity, 1 differences (2 is left to the caller's error path). */
export async function compareCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      json: { type: 'boolean' },
      policy: { type: 'string' },
      'max-size-ratio': { type: 'string' },
      'size-slack': { type: 'string' },
      'config-only': { type: 'boolean' },
      path: { type: 'string', multiple: true },
      ...runtimeCliOptions,
    },
  })
  const [upstreamRef, rebuiltRef, extra] = positionals
  if (upstreamRef === undefined || rebuiltRef === undefined || extra !== undefined) {
    throw new ImgtestError(
      'IMGTEST_USAGE',
      'compare takes exactly two images: imgtest compare <upstream> <rebuilt>',
    )
  }
  const runtime = runtimeOptionsFromCli(values)
  const config = await loadConfig(process.cwd())
  const policy = mergePolicies(
    config.policy,
    values.policy === undefined ? undefined : await loadPolicyFile(values.policy),
  )
  const result = await compareImages(upstreamRef, rebuiltRef, {
    policy,
    size: {
      maxRatio: numberOption('--max-size-ratio', values['max-size-ratio']),
      slackBytes: numberOption('--size-slack', values['size-slack']),
    },
    filesystem: { paths: values.path },
    configOnly: values['config-only'],
  })
  if (runtime !== undefined) {
    // Containers start only once the static checks are done: a missing image fails before any runs.
    const { compareRuntime } = await import('./compare-runtime.ts')
    result.findings.push(...applyPolicy(await compareRuntime(upstreamRef, rebuiltRef, runtime), policy))
    result.verdict = verdictOf(result.findings)
  }
  if (values.json) {
    process.stdout.write(
      `${JSON.stringify({ verdict: result.verdict, findings: result.findings }, null, 2)}\n`,
    )
  } else {
    process.stdout.write(
      [
        ...describeBoth(result.upstream, result.rebuilt),
        '',
        formatFindingsTable(result.findings),
        '',
        result.verdict === 'pass'
          ? `PARITY: no difference outside the policy (${checkedAreas(values['config-only'], runtime !== undefined)}).`
          : 'DIFFERENCES: see the findings marked FAIL.',
        '',
      ].join('\n'),
    )
  }
  return result.verdict === 'pass' ? 0 : 1
}

function checkedAreas(configOnly: boolean | undefined, runtime: boolean): string {
  return [
    configOnly ? 'interface, size' : 'interface, size, files, users, packages',
    runtime ? 'runtime' : '',
  ]
    .filter(Boolean)
    .join(', ')
}

// One aligned line per image: reference, short digest, size and where it was read from.
function describeBoth(upstream: ImageSnapshot, rebuilt: ImageSnapshot): string[] {
  const width = Math.max(upstream.ref.length, rebuilt.ref.length)
  const line = (side: string, image: ImageSnapshot) =>
    `${side}  ${image.ref.padEnd(width)}  ${image.digest.slice(0, 19)}  ${formatBytes(image.size)} (${image.sizeBasis})  ${image.source}`
  return [line('upstream', upstream), line('rebuilt ', rebuilt)]
}

function numberOption(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  const number = Number(value)
  if (value.trim() === '' || !Number.isFinite(number) || number < 0) {
    throw new ImgtestError('IMGTEST_USAGE', `${name} must be a non-negative number, not '${value}'`)
  }
  return number
}
