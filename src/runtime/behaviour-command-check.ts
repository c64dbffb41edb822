import type { Finding } from '../compare/finding.ts'
import { newFinding } from '../compare/finding.ts'
import { formatCommand } from './behaviour-pair.ts'
import { unifiedDiff } from './output-diff.ts'
import { type NormalizeOptions, normalizerChain } from './output-normalizers.ts'

/** What one run of a command printed and how it ended, with what identifies its container. */
export interface CommandResult {
  image: string
  exitCode: number
  stdout: string
  stderr: string
  /** The container's hostname (its short id unless set): replaced by `<hostname>` before comparing. */
  hostname?: string
  /** The container's full id: replaced by `<container-id>`. */
  containerId?: string
}

/** Which parts of a run count; each defaults to true. */
export interface CommandCompareOptions {
  /** `false` compares the raw text; otherwise built-ins (default all but ipv4) and extra patterns. */
  normalize?: NormalizeOptions | false
  exitCode?: boolean
  stdout?: boolean
  stderr?: boolean
}

// Values in findings stay readable in reports; the diff in the message shows where they differ.
const MAX_VALUE_CHARS = 4000

/** Normalises one run's output with its own container's id and hostname plus the chosen patterns. */
export function normalizedStreams(
  result: CommandResult,
  normalize: NormalizeOptions | false | undefined,
): { stdout: string; stderr: string } {
  if (normalize === false) return { stdout: result.stdout, stderr: result.stderr }
  const chain = normalizerChain(normalize, {
    'container-id': result.containerId,
    hostname: result.hostname,
  })
  return { stdout: chain(result.stdout), stderr: chain(result.stderr) }
}

/**
 * Compares one command's runs in upstream and rebuilt: exit code, then stdout and stderr after
 * normalisation (timestamps, ids, each container's own hostname…), each difference a finding whose
 * message carries a short unified diff.
 *
 * @example
 * compareCommandResults(['behave', 'info'], upstreamRun, rebuiltRun)
 * // [{ check: 'runtime.command.stdout', key: 'behave info', message: 'stdout of `behave info` differs …\n--- upstream …' }]
 */
export function compareCommandResults(
  command: readonly string[],
  upstream: CommandResult,
  rebuilt: CommandResult,
  options: CommandCompareOptions = {},
): Finding[] {
  const key = formatCommand(command)
  const findings: Finding[] = []
  if (options.exitCode !== false && upstream.exitCode !== rebuilt.exitCode) {
    findings.push(
      newFinding({
        check: 'runtime.command.exit',
        key,
        upstream: upstream.exitCode,
        rebuilt: rebuilt.exitCode,
        message: `\`${key}\` exits ${upstream.exitCode} upstream, ${rebuilt.exitCode} in rebuilt`,
      }),
    )
  }
  const a = normalizedStreams(upstream, options.normalize)
  const b = normalizedStreams(rebuilt, options.normalize)
  for (const stream of ['stdout', 'stderr'] as const) {
    if (options[stream] === false || a[stream] === b[stream]) continue
    const diff = unifiedDiff(a[stream], b[stream])
    const how = options.normalize === false ? '' : ' after normalisation'
    findings.push(
      newFinding({
        check: `runtime.command.${stream}`,
        key,
        upstream: clip(a[stream]),
        rebuilt: clip(b[stream]),
        message: `${stream} of \`${key}\` differs${how}:\n${diff}`,
      }),
    )
  }
  return findings
}

function clip(text: string): string {
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS)}… (${text.length} chars)` : text
}
