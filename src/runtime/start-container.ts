import type Docker from 'dockerode'
import type { GenericContainer, WaitStrategy } from 'testcontainers'
import { ImgtestError, isImgtestError } from '../errors.ts'
import { removeContainer, trackContainer } from './cleanup.ts'
import type { ContainerOptions, ReadySpec, RunningContainer } from './container-types.ts'
import { runtimeEngine } from './engine.ts'
import { engineImageName } from './engine-image.ts'
import { notReadyError } from './not-ready-error.ts'
import { OWNER_LABEL } from './owner-label.ts'
import { DEFAULT_READY_TIMEOUT_MS, describeSpec, NotReady, waitUntilReady } from './ready-probes.ts'
import { SESSION_LABEL, sessionId } from './session-label.ts'
import { StartedContainer } from './started-container.ts'
import { watchExit } from './watch-exit.ts'

/** Host address every port is published on: never all interfaces. */
const HOST_IP = '127.0.0.1'

/**
 * Starts a container of a local image and waits until it is ready, probing from the host only
 * (TCP, HTTP, a log line, the image's HEALTHCHECK or a one-shot exit code; never exec, so images
 * without a shell work). Ports are published on 127.0.0.1; nothing is pulled; the container carries
 * imgtest's owner and session labels and is removed on failure, timeout, SIGINT and SIGTERM.
 * `readyAfterMs` runs from the engine's create call to the moment the probe succeeded.
 *
 * @example
 * await using web = await startContainer('example/web:1', { ready: { port: 8080, http: { path: '/' } } })
 * const res = await fetch(web.url(8080))
 */
export async function startContainer(
  image: string,
  options: ContainerOptions = {},
): Promise<RunningContainer> {
  const name = engineImageName(image)
  const spec = options.ready
  const deadline = performance.now() + (spec?.timeoutMs ?? DEFAULT_READY_TIMEOUT_MS)
  const docker = await runtimeEngine()
  const ports = [...new Set([...(spec && 'port' in spec ? [spec.port] : []), ...(options.ports ?? [])])]
  const hooks: { createdAt?: number; id?: string; exit?: Promise<number> } = {}
  const generic = await configure(name, options, ports, hooks, docker)

  const starting = generic.start()
  // Without this the rejection of a start that lost the race below would be unhandled.
  starting.catch(() => {})
  let container: Docker.Container | undefined
  try {
    await raceStart(starting, hooks, deadline, spec)
    const id = hooks.id as string
    container = docker.getContainer(id)
    const exit = hooks.exit as Promise<number>
    const mapped = await mappedPorts(container, ports)
    const abort = new AbortController()
    let readyAt = performance.now()
    try {
      if (spec !== undefined) {
        readyAt = await waitUntilReady(
          {
            docker,
            container,
            host: HOST_IP,
            mappedPort: (port) => mapped.get(port) ?? 0,
            exit,
            signal: abort.signal,
          },
          spec,
          deadline,
        )
      }
    } finally {
      abort.abort()
    }
    // dockerode's types lack StopSignal; the engine sends it when the image sets one.
    const { StopSignal } = (await container.inspect()).Config as { StopSignal?: string }
    return new StartedContainer({
      docker,
      id,
      image,
      readyAfterMs: readyAt - (hooks.createdAt ?? readyAt),
      ports: mapped,
      exit,
      ...(StopSignal ? { stopSignal: StopSignal } : {}),
    })
  } catch (error) {
    container ??= hooks.id === undefined ? undefined : docker.getContainer(hooks.id)
    const failure = await toError(error, image, container)
    if (hooks.id !== undefined) await removeContainer(hooks.id).catch(() => {})
    throw failure
  }
}

// Readiness is imgtest's (ready-probes.ts): testcontainers waits for nothing.
const noWait: WaitStrategy = {
  waitUntilReady: async () => {},
  withStartupTimeout: () => noWait,
  isStartupTimeoutSet: () => false,
  getStartupTimeout: () => 0,
}

/** A GenericContainer with the options applied and hooks that time the create call and track the id. */
async function configure(
  name: string,
  options: ContainerOptions,
  ports: number[],
  hooks: { createdAt?: number; id?: string; exit?: Promise<number> },
  docker: Docker,
): Promise<GenericContainer> {
  // Ryuk's image cannot be pulled in most CI sandboxes; imgtest cleans up by label itself.
  process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true'
  const { GenericContainer, PullPolicy } = await import('testcontainers')

  class ImgtestContainer extends GenericContainer {
    protected override async beforeContainerCreated(): Promise<void> {
      // testcontainers binds every interface; publish on 127.0.0.1 only.
      for (const bindings of Object.values(this.hostConfig.PortBindings ?? {}) as { HostIp?: string }[][]) {
        for (const binding of bindings) binding.HostIp = HOST_IP
      }
      if (options.readOnlyRootfs) this.hostConfig.ReadonlyRootfs = true
      if (options.memory !== undefined) this.hostConfig.Memory = options.memory
      // Aliases at create time: testcontainers' withNetworkAliases would also join the default bridge.
      if (options.network !== undefined && options.networkAliases?.length) {
        this.createOpts.NetworkingConfig = {
          EndpointsConfig: { [options.network]: { Aliases: options.networkAliases } },
        }
      }
      hooks.createdAt = performance.now()
    }

    protected override async containerCreated(containerId: string): Promise<void> {
      hooks.id = containerId
      trackContainer(containerId)
      hooks.exit = watchExit(docker.getContainer(containerId))
    }
  }

  const generic = new ImgtestContainer(name)
    .withPullPolicy(PullPolicy.neverPull())
    // Readiness is probed by imgtest from the host; testcontainers' default port wait execs /bin/sh.
    .withWaitStrategy(noWait)
    .withLabels({ ...options.labels, [OWNER_LABEL]: 'imgtest', [SESSION_LABEL]: sessionId })
  if (ports.length > 0) generic.withExposedPorts(...ports)
  if (options.env) generic.withEnvironment(options.env)
  if (options.cmd) generic.withCommand(options.cmd)
  if (options.entrypoint) generic.withEntrypoint(options.entrypoint)
  if (options.user !== undefined) generic.withUser(options.user)
  if (options.workdir !== undefined) generic.withWorkingDir(options.workdir)
  if (options.writable?.length)
    generic.withTmpFs(Object.fromEntries(options.writable.map((path) => [path, 'rw'])))
  if (options.capDrop?.length) generic.withDroppedCapabilities(...options.capDrop)
  if (options.capAdd?.length) generic.withAddedCapabilities(...options.capAdd)
  if (options.noNewPrivileges) generic.withSecurityOpt('no-new-privileges')
  if (options.network !== undefined) generic.withNetworkMode(options.network)
  const onOutput = options.onOutput
  if (onOutput) {
    generic.withLogConsumer((stream) => {
      stream.on('data', (chunk) => onOutput(String(chunk)))
      // The stream ends with the container; an engine hiccup must not crash the run.
      stream.on('error', () => {})
    })
  }
  if (options.mounts?.length)
    generic.withBindMounts(
      options.mounts.map(({ source, target, readOnly }) => ({
        source,
        target,
        mode: readOnly ? 'ro' : 'rw',
      })),
    )
  return generic
}

/**
 * Waits for testcontainers' start (create, start, ports bound) unless the container exits first
 * or the deadline passes. A one-shot container (`exit` spec) may exit before its ports show.
 */
async function raceStart(
  starting: Promise<unknown>,
  hooks: { id?: string; exit?: Promise<number> },
  deadline: number,
  spec: ReadySpec | undefined,
): Promise<void> {
  let timer: NodeJS.Timeout | undefined
  let poll: NodeJS.Timeout | undefined
  const outcome = await Promise.race([
    starting.then(() => 'started' as const),
    new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), Math.max(0, deadline - performance.now()))
    }),
    // The exit watcher exists once the container is created; look for it until then.
    new Promise<number>((resolve) => {
      const look = () => {
        if (hooks.exit) void hooks.exit.then(resolve)
        else poll = setTimeout(look, 5)
      }
      look()
    }),
  ]).finally(() => {
    clearTimeout(timer)
    clearTimeout(poll)
  })
  if (outcome === 'started') return
  if (outcome === 'timeout') throw new NotReady(`not started by the engine within the timeout`)
  if (spec !== undefined && !('exit' in spec)) {
    throw new NotReady(
      `exited with code ${outcome} before it was ready (${describeSpec(spec)}; no probe ran yet)`,
    )
  }
}

/** Container port → host port on 127.0.0.1, from the engine's view after start. */
async function mappedPorts(container: Docker.Container, ports: number[]): Promise<Map<number, number>> {
  const mapped = new Map<number, number>()
  if (ports.length === 0) return mapped
  const info = await container.inspect()
  for (const port of ports) {
    const binding = info.NetworkSettings.Ports?.[`${port}/tcp`]?.find((b) => b.HostIp === HOST_IP)
    if (binding) mapped.set(port, Number(binding.HostPort))
  }
  return mapped
}

/** Any failure of a start as one ImgtestError: not found, daemon unreachable, or not ready with logs. */
async function toError(
  error: unknown,
  image: string,
  container: Docker.Container | undefined,
): Promise<Error> {
  if (isImgtestError(error)) return error
  if (error instanceof NotReady) return notReadyError(container, image, error.fact, error)
  const message = error instanceof Error ? error.message : String(error)
  if (/does not exist locally/.test(message)) {
    return new ImgtestError(
      'IMGTEST_IMAGE_NOT_FOUND',
      `image ${image} is not in the local engine and imgtest never pulls; build it or docker pull it first`,
      { cause: error },
    )
  }
  if (/ECONNREFUSED|ENOENT.*docker\.sock|Could not find a working container runtime/i.test(message)) {
    return new ImgtestError(
      'IMGTEST_DAEMON_UNREACHABLE',
      `cannot reach the Docker engine to start ${image}: ${message}; start dockerd or set DOCKER_HOST`,
      { cause: error },
    )
  }
  return notReadyError(container, image, `could not start: ${message.split('\n')[0]}`, error)
}
