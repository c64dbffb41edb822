import { ImgtestError } from '../errors.ts'
import type { HttpRequestSpec } from '../runtime/behaviour-http-check.ts'
import type { ContainerOptions, ReadySpec } from '../runtime/container-types.ts'
import type { NormalizeOptions } from '../runtime/output-normalizers.ts'

// The options of `imgtest compare --runtime`, apart from the code that runs containers, so the CLI
// can show and check them without loading testcontainers.

/** What `imgtest compare --runtime` checks; only `ready` is required. */
export interface CompareRuntimeOptions {
  /** When a container is ready; probed from the host. */
  ready: ReadySpec
  /** A command run as the container's command in both images (`runtime.command.*`). */
  command?: string[]
  /**
   * Requests compared on the ready port (`runtime.http.*`). Default: a GET of the ready probe's
   * path when the probe is HTTP; none otherwise. `false`: none.
   */
  http?: HttpRequestSpec[] | false
  /** Response headers compared (default content-type). */
  headers?: string[]
  /** Interleaved create→ready runs per side (default 5); `false` skips the startup check. */
  startup?: { runs?: number; tolerance?: number } | false
  /** How long each may take to stop on its STOPSIGNAL (default 10000 ms); `false` skips the stop check. */
  stop?: { deadlineMs?: number } | false
  normalize?: NormalizeOptions
  /** How to run both images (env, user, hardened flags…). */
  container?: Omit<ContainerOptions, 'ready'>
}

/** The options `imgtest compare` adds for `--runtime`; spread them into its parseArgs options. */
export const runtimeCliOptions = {
  runtime: { type: 'boolean' },
  'ready-port': { type: 'string' },
  'ready-http': { type: 'string' },
  'ready-log': { type: 'string' },
  'ready-healthcheck': { type: 'boolean' },
  'ready-timeout': { type: 'string' },
  'http-path': { type: 'string', multiple: true },
  command: { type: 'string' },
  'startup-runs': { type: 'string' },
  'startup-tolerance': { type: 'string' },
  'stop-deadline': { type: 'string' },
  'no-startup': { type: 'boolean' },
  'no-stop': { type: 'boolean' },
} as const

/** The usage lines of those options, for the CLI's help text. */
export const runtimeCliUsage = `  --runtime                   also start both images and compare what they do (needs a --ready-* option):
                              startup time, HTTP answers, a command's output, graceful stop
  --ready-port <port>         ready once this container port accepts TCP (published on 127.0.0.1)
  --ready-http <path>         with --ready-port: ready once GET <path> answers 2xx/3xx; its answer is compared
  --ready-log <regex>         ready once a log line matches
  --ready-healthcheck         ready once the image's HEALTHCHECK says healthy
  --ready-timeout <ms>        give up on readiness after this long (default 60000)
  --http-path <path>          also compare GET <path> on the ready port (repeatable)
  --command <cmd>             also run this as the container command in both and compare exit code, stdout, stderr
                              (words split on spaces, or a JSON array: '["app","--version"]')
  --startup-runs <n>          create→ready runs per image (default 5); --startup-tolerance <f> (default 0.2)
  --stop-deadline <ms>        how long each may take to stop on its STOPSIGNAL (default 10000)
  --no-startup, --no-stop     leave out the startup or the stop check`

type CliValues = Partial<Record<keyof typeof runtimeCliOptions, string | string[] | boolean | undefined>>

/**
 * Turns `imgtest compare --runtime` option values into `compareRuntime` options; every bad value
 * is a usage error naming the option. Undefined without `--runtime`.
 *
 * @example
 * runtimeOptionsFromCli({ runtime: true, 'ready-port': '8080', 'ready-http': '/' })
 * // { ready: { port: 8080, http: { path: '/' } } }
 */
export function runtimeOptionsFromCli(values: CliValues): CompareRuntimeOptions | undefined {
  if (!values.runtime) {
    const stray = Object.keys(runtimeCliOptions).find(
      (name) => name !== 'runtime' && values[name as keyof CliValues] !== undefined,
    )
    if (stray !== undefined) throw new ImgtestError('IMGTEST_USAGE', `--${stray} only applies with --runtime`)
    return undefined
  }
  const timeoutMs = numberOf('--ready-timeout', values['ready-timeout'])
  const timeout = timeoutMs === undefined ? {} : { timeoutMs }
  if (values['ready-http'] !== undefined && values['ready-port'] === undefined) {
    throw new ImgtestError(
      'IMGTEST_USAGE',
      '--ready-http <path> needs --ready-port <port>: the port to send it to',
    )
  }
  const kinds = (['ready-port', 'ready-log', 'ready-healthcheck'] as const).filter(
    (k) => values[k] !== undefined,
  )
  if (kinds.length !== 1) {
    throw new ImgtestError(
      'IMGTEST_USAGE',
      kinds.length === 0
        ? 'compare --runtime needs a readiness option: --ready-port <port> (with --ready-http <path>), --ready-log <regex> or --ready-healthcheck'
        : `compare --runtime takes one readiness option, not ${kinds.map((k) => `--${k}`).join(' and ')}`,
    )
  }
  let ready: ReadySpec
  if (values['ready-port'] !== undefined) {
    const port = numberOf('--ready-port', values['ready-port']) as number
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      throw new ImgtestError(
        'IMGTEST_USAGE',
        `--ready-port must be a port number 1-65535, not '${values['ready-port']}'`,
      )
    }
    const path = values['ready-http'] as string | undefined
    ready = {
      port,
      ...(path === undefined ? {} : { http: { path: path.startsWith('/') ? path : `/${path}` } }),
      ...timeout,
    }
  } else if (values['ready-log'] !== undefined) {
    ready = { log: regexOf(values['ready-log'] as string), ...timeout }
  } else {
    ready = { healthcheck: true, ...timeout }
  }
  const paths = values['http-path'] as string[] | undefined
  const deadlineMs = numberOf('--stop-deadline', values['stop-deadline'])
  const runs = numberOf('--startup-runs', values['startup-runs'])
  const tolerance = numberOf('--startup-tolerance', values['startup-tolerance'])
  const readyPath = 'port' in ready && ready.http ? [{ path: ready.http.path ?? '/' }] : []
  return {
    ready,
    ...(paths === undefined ? {} : { http: [...readyPath, ...paths.map((path) => ({ path }))] }),
    ...(values.command === undefined ? {} : { command: commandOf(values.command as string) }),
    startup: values['no-startup']
      ? false
      : { ...(runs === undefined ? {} : { runs }), ...(tolerance === undefined ? {} : { tolerance }) },
    stop: values['no-stop'] ? false : deadlineMs === undefined ? {} : { deadlineMs },
  }
}

function numberOf(name: string, value: unknown): number | undefined {
  if (value === undefined) return undefined
  const number = Number(value)
  if (typeof value !== 'string' || value.trim() === '' || !Number.isFinite(number) || number < 0) {
    throw new ImgtestError('IMGTEST_USAGE', `${name} must be a non-negative number, not '${String(value)}'`)
  }
  return number
}

function regexOf(source: string): RegExp {
  try {
    return new RegExp(source)
  } catch (error) {
    throw new ImgtestError('IMGTEST_USAGE', `--ready-log is not a valid regular expression: ${source}`, {
      cause: error,
    })
  }
}

// A JSON array keeps arguments with spaces; otherwise words split on whitespace.
function commandOf(text: string): string[] {
  if (text.trim().startsWith('[')) {
    let parsed: unknown
    try {
      parsed = JSON.parse(text)
    } catch (error) {
      throw new ImgtestError('IMGTEST_USAGE', `--command looks like JSON but does not parse: ${text}`, {
        cause: error,
      })
    }
    if (Array.isArray(parsed) && parsed.length > 0 && parsed.every((arg) => typeof arg === 'string'))
      return parsed
    throw new ImgtestError('IMGTEST_USAGE', `--command as JSON must be an array of strings, not ${text}`)
  }
  const words = text.trim().split(/\s+/).filter(Boolean)
  if (words.length === 0) throw new ImgtestError('IMGTEST_USAGE', '--command must name a program to run')
  return words
}
