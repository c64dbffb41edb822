import type { Finding } from '../compare/finding.ts'
import { newFinding } from '../compare/finding.ts'
import { ImgtestError, isImgtestError } from '../errors.ts'
import { type ImageRefLike, type PairLike, refOf } from './behaviour-pair.ts'
import type { ContainerOptions, ReadySpec, RunningContainer } from './container-types.ts'
import { createNetwork } from './create-network.ts'
import { runtimeEngine } from './engine.ts'
import { describeJsonDifferences, jsonDifferences, normalizeJson } from './output-json.ts'
import { type NormalizeOptions, normalizerChain } from './output-normalizers.ts'
import { startContainer } from './start-container.ts'

/** One service of a scenario: its images (a pair, or one image used on both sides) and how to run it. */
export interface ScenarioService {
  /** Also its network alias unless `aliases` says otherwise. */
  name: string
  image: PairLike | ImageRefLike
  /** Names other services reach it by on the scenario's network (default `[name]`). */
  aliases?: string[]
  /** When it is up; the next service starts only then. */
  ready?: ReadySpec
  /** How to run it (env, cmd, ports to publish, hardened flags…); the network is the scenario's. */
  container?: Omit<ContainerOptions, 'ready' | 'network' | 'networkAliases'>
}

/** What a scenario's check gets: one side's running services on their own network. */
export interface ScenarioEnvironment {
  side: 'upstream' | 'rebuilt'
  /** The user-defined network the services share. */
  network: string
  service(name: string): RunningContainer
  /** `http://127.0.0.1:<mapped>/path` of a service's published port. */
  url(service: string, port: number, path?: string): string
}

export interface ScenarioDefinition {
  name?: string
  /** Started in this order, each once the one before is ready. */
  services: ScenarioService[]
  /** Runs against each side; its results (JSON-like) are compared after normalisation. */
  check: (environment: ScenarioEnvironment) => unknown
  normalize?: NormalizeOptions | false
}

/** A scenario to run against both sets; `scenario()` makes one without starting anything. */
export interface Scenario {
  readonly name: string
  readonly definition: ScenarioDefinition
}

export type ScenarioOutcome = { value: unknown } | { error: string }

export interface ScenarioParity {
  upstream: ScenarioOutcome
  rebuilt: ScenarioOutcome
  findings: Finding[]
}

/**
 * A multi-container scenario: services (an app and its database, …) started in order on a
 * user-defined network with aliases, once with every upstream image and once with every rebuilt
 * one, and a check run against each set. No I/O until `runScenario` or a matcher runs it.
 *
 * @example
 * const appWithDb = scenario({
 *   services: [
 *     { name: 'db', image: pair({ upstream: 'db:1', rebuilt: 'db:1-hardened' }), ready: { port: 8080 } },
 *     { name: 'app', image: pair({ upstream: 'app:1', rebuilt: 'app:1-hardened' }), ready: { port: 8080 } },
 *   ],
 *   check: async (env) => (await fetch(env.url('app', 8080, '/value'))).json(),
 * })
 */
export function scenario(definition: ScenarioDefinition): Scenario {
  const services = definition?.services
  if (!Array.isArray(services) || services.length === 0 || typeof definition.check !== 'function') {
    throw new ImgtestError(
      'IMGTEST_USAGE',
      'scenario() needs services: [{ name, image, ready? }, …] and check: (env) => result',
    )
  }
  const names = new Set<string>()
  for (const service of services) {
    if (typeof service?.name !== 'string' || service.name === '' || names.has(service.name)) {
      throw new ImgtestError(
        'IMGTEST_USAGE',
        `scenario() services need unique names; '${service?.name}' is missing or used twice`,
      )
    }
    names.add(service.name)
    imagesOf(service)
  }
  return { name: definition.name ?? services.map((s) => s.name).join('+'), definition }
}

/** A value made by `scenario()`. */
export function isScenario(value: unknown): value is Scenario {
  const definition = (value as Scenario | null)?.definition
  return typeof (value as Scenario | null)?.name === 'string' && typeof definition?.check === 'function'
}

function imagesOf(service: ScenarioService): { upstream: string; rebuilt: string } {
  const where = `scenario() service '${service.name}'`
  const image = service.image
  if (typeof image === 'object' && image !== null && 'upstream' in image && 'rebuilt' in image) {
    return { upstream: refOf(image.upstream, where), rebuilt: refOf(image.rebuilt, where) }
  }
  const ref = refOf(image as ImageRefLike, where)
  return { upstream: ref, rebuilt: ref }
}

/**
 * Runs the scenario with the upstream set and the rebuilt set (each on its own network, both at
 * once) and compares the check's results: a `runtime.scenario` finding when they differ, or when
 * the rebuilt set fails to start or its check throws while upstream's works.
 *
 * @example
 * const { findings, upstream } = await runScenario(appWithDb)
 */
export async function runScenario(subject: Scenario): Promise<ScenarioParity> {
  const { definition, name } = subject
  const [upstream, rebuilt] = await Promise.all([
    runSide(definition, 'upstream'),
    runSide(definition, 'rebuilt'),
  ])
  if ('error' in upstream.outcome && 'error' in rebuilt.outcome) {
    throw new ImgtestError(
      'IMGTEST_USAGE',
      `scenario ${name} fails with the upstream images too, so there is nothing to compare: ${upstream.outcome.error}`,
      { cause: upstream.cause },
    )
  }
  const findings: Finding[] = []
  const a = upstream.outcome
  const b = rebuilt.outcome
  if ('error' in a || 'error' in b) {
    findings.push(
      newFinding({
        check: 'runtime.scenario',
        key: name,
        upstream: 'error' in a ? `error: ${a.error}` : a.value,
        rebuilt: 'error' in b ? `error: ${b.error}` : b.value,
        message: `scenario ${name} ${'error' in b ? `fails with the rebuilt images: ${b.error}` : `fails with the upstream images only: ${'error' in a ? a.error : ''}`}`,
      }),
    )
  } else {
    const va = normalizeJson(a.value, upstream.normalize)
    const vb = normalizeJson(b.value, rebuilt.normalize)
    const differences = jsonDifferences(va, vb)
    if (differences.length > 0) {
      findings.push(
        newFinding({
          check: 'runtime.scenario',
          key: name,
          upstream: va,
          rebuilt: vb,
          message: `scenario ${name}: the check's result differs at ${describeJsonDifferences(differences)}`,
        }),
      )
    }
  }
  return { upstream: a, rebuilt: b, findings }
}

type SideRun = { outcome: ScenarioOutcome; normalize: (text: string) => string; cause?: unknown }

// One side: network, services in order, the check, then everything removed whatever happened.
async function runSide(definition: ScenarioDefinition, side: 'upstream' | 'rebuilt'): Promise<SideRun> {
  const network = await createNetwork()
  const running = new Map<string, RunningContainer>()
  const literals: Record<string, string> = {}
  try {
    for (const service of definition.services) {
      const container = await startContainer(imagesOf(service)[side], {
        ...service.container,
        ...(service.ready === undefined ? {} : { ready: service.ready }),
        network: network.name,
        networkAliases: service.aliases ?? [service.name],
      })
      running.set(service.name, container)
      const info = await (await runtimeEngine()).getContainer(container.id).inspect()
      literals[`${service.name}-id`] = container.id
      literals[`${service.name}-hostname`] = info.Config.Hostname
    }
    const environment: ScenarioEnvironment = {
      side,
      network: network.name,
      service: (name) => {
        const container = running.get(name)
        if (container === undefined) {
          throw new ImgtestError(
            'IMGTEST_USAGE',
            `scenario has no service '${name}'; it has ${[...running.keys()].join(', ')}`,
          )
        }
        return container
      },
      url: (name, port, path) => environment.service(name).url(port, path),
    }
    const value = await definition.check(environment)
    return { outcome: { value }, normalize: chainOf(definition, literals) }
  } catch (error) {
    // A usage error is the test's own bug: no side should hide it as a difference.
    if (isImgtestError(error) && error.code === 'IMGTEST_USAGE') throw error
    const message = error instanceof Error ? error.message : String(error)
    return {
      outcome: { error: message.split('\n')[0] ?? message },
      normalize: chainOf(definition, literals),
      cause: error,
    }
  } finally {
    const containers = [...running.values()].reverse()
    for (const container of containers) await container.stop({ timeoutMs: 0 })
    await network.remove()
  }
}

function chainOf(definition: ScenarioDefinition, literals: Record<string, string>): (text: string) => string {
  return definition.normalize === false ? (text) => text : normalizerChain(definition.normalize, literals)
}
