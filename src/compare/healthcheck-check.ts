import type { ImageConfig } from '../image/snapshot.ts'
import { formatDuration, sameList, show } from './_normalize.ts'
import type { Finding } from './finding.ts'
import { newFinding } from './finding.ts'

type Healthcheck = NonNullable<ImageConfig['Healthcheck']>
type Timing = 'Interval' | 'Timeout' | 'StartPeriod' | 'StartInterval' | 'Retries'

const CHECK = 'interface.healthcheck'

// What the engine uses when a field is unset or 0 (docker run reference, HEALTHCHECK defaults).
const SECOND = 1e9
const DEFAULTS: Record<Timing, number> = {
  Interval: 30 * SECOND,
  Timeout: 30 * SECOND,
  StartPeriod: 0,
  StartInterval: 5 * SECOND,
  Retries: 3,
}
const TIMINGS = Object.keys(DEFAULTS) as Timing[]

/** The test a container would run, or undefined: no healthcheck, `[]` (inherit: nothing left to inherit) and `["NONE"]` all mean none. */
function activeTest(healthcheck: Healthcheck | undefined): string[] | undefined {
  const test = healthcheck?.Test
  if (test === undefined || test.length === 0 || test[0] === 'NONE') return undefined
  return test
}

function describeTest(test: readonly string[]): string {
  const [kind, ...args] = test
  if (kind === 'CMD-SHELL') return `shell form (CMD-SHELL ${args.join(' ')})`
  if (kind === 'CMD') return `exec form (CMD ${show(args)})`
  return show(test)
}

function describeTiming(field: Timing, value: number | undefined): string {
  const effective = value === undefined || value === 0 ? DEFAULTS[field] : value
  const text = field === 'Retries' ? String(effective) : formatDuration(effective)
  return value === undefined || value === 0 ? `${text} (default)` : text
}

/**
 * HEALTHCHECK: the test, then each timing field with the engine's defaults filled in. Findings are
 * keyed by the config field (`Test`, `Interval`, `Timeout`, `StartPeriod`, `StartInterval`,
 * `Retries`), so a policy can accept, say, a longer interval alone.
 *
 * @example
 * checkHealthcheck({ Test: ['CMD', '/health'] }, undefined)
 * // → [{ check: 'interface.healthcheck', key: 'Test', … message: 'HEALTHCHECK exec form (CMD ["/health"]) set upstream, none in rebuilt' }]
 */
export function checkHealthcheck(
  upstream: Healthcheck | undefined,
  rebuilt: Healthcheck | undefined,
): Finding[] {
  const up = activeTest(upstream)
  const rb = activeTest(rebuilt)
  if (up === undefined && rb === undefined) return []
  if (up === undefined || rb === undefined) {
    const message =
      rb === undefined
        ? `HEALTHCHECK ${describeTest(up ?? [])} set upstream, none in rebuilt`
        : `HEALTHCHECK ${describeTest(rb)} set in rebuilt, none upstream`
    return [
      newFinding({ check: CHECK, key: 'Test', upstream: upstream?.Test, rebuilt: rebuilt?.Test, message }),
    ]
  }
  const findings: Finding[] = []
  if (!sameList(up, rb)) {
    findings.push(
      newFinding({
        check: CHECK,
        key: 'Test',
        upstream: up,
        rebuilt: rb,
        message: `HEALTHCHECK test differs: upstream ${describeTest(up)}, rebuilt ${describeTest(rb)}`,
      }),
    )
  }
  for (const field of TIMINGS) {
    const u = upstream?.[field]
    const r = rebuilt?.[field]
    if ((u || DEFAULTS[field]) === (r || DEFAULTS[field])) continue
    findings.push(
      newFinding({
        check: CHECK,
        key: field,
        upstream: u,
        rebuilt: r,
        message: `HEALTHCHECK ${field} is ${describeTiming(field, u)} upstream, ${describeTiming(field, r)} in rebuilt`,
      }),
    )
  }
  return findings
}
