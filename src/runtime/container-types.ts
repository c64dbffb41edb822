/**
 * The runtime contract: how imgtest starts a container of an image, decides it is ready (always
 * from the host: hardened images have no shell to exec), and what a running container offers.
 * `startContainer` (start-container.ts) implements it on testcontainers.
 */

/** When a container counts as ready. Every probe runs from the host; none execs into the container. */
export type ReadySpec = (
  | {
      /** A container port (tcp). Without `http`: ready once a TCP connect to its 127.0.0.1 mapping succeeds. */
      port: number
      /** HTTP probe on that port: GET `path`, ready on `status` (default 200–399) and `body` when given. */
      http?: { path?: string; status?: number; body?: string | RegExp }
    }
  | {
      /** Ready once the container's stdout or stderr has printed a line matching this `times` times (default 1). */
      log: string | RegExp
      times?: number
    }
  /** Ready once the image's own HEALTHCHECK reports healthy (the engine runs it). */
  | { healthcheck: true }
  /** A one-shot container: ready (done) once it exits with this code, or with any code for `'any'` (read it from `state()`). */
  | { exit: number | 'any' }
) & {
  /** Give up after this many ms (default 60000): the error carries the container's logs and state. */
  timeoutMs?: number
}

/** How to run the container: everything optional; the image's own config otherwise. */
export interface ContainerOptions {
  ready?: ReadySpec
  env?: Record<string, string>
  cmd?: string[]
  entrypoint?: string[]
  /** `uid[:gid]` or a name, as `docker run --user`. */
  user?: string
  /** The working directory, as `docker run --workdir`. */
  workdir?: string
  /** Container ports to publish on 127.0.0.1 (ephemeral host ports); the ready port is always published. */
  ports?: number[]
  /** `--read-only`, with a tmpfs at each `writable` path. */
  readOnlyRootfs?: boolean
  writable?: string[]
  /** `--cap-drop` (e.g. ['ALL']) and `--cap-add`. */
  capDrop?: string[]
  capAdd?: string[]
  /** `--security-opt no-new-privileges`. */
  noNewPrivileges?: boolean
  /** A user-defined network (from `createNetwork`) and this container's aliases on it. */
  network?: string
  networkAliases?: string[]
  /** Memory limit in bytes. */
  memory?: number
  /** Extra labels; imgtest's owner and session labels are always added. */
  labels?: Record<string, string>
  /** Host directories or files bind-mounted into the container (`-v source:target[:ro]`); `source` is an absolute host path. */
  mounts?: { source: string; target: string; readOnly?: boolean }[]
  /** Called with the container's output (stdout and stderr) as it prints it, from its start. */
  onOutput?: (text: string) => void
}

/** What one `docker stats` sample says (Engine API `/containers/{id}/stats?stream=false`). */
export interface ResourceSample {
  /** Bytes in use, page cache excluded (as `docker stats` shows it). */
  memoryBytes: number
  /** CPU use since the previous sample, in cores (1.0 = one core busy). */
  cpuCores: number
  at: number
}

/** A container imgtest started; remove it with `stop()` or `await using`. */
export interface RunningContainer extends AsyncDisposable {
  readonly id: string
  /** The image reference it runs. */
  readonly image: string
  /** Milliseconds from the create call to ready, measured by imgtest. */
  readonly readyAfterMs: number
  /** Always 127.0.0.1: ports are never published on other interfaces. */
  readonly host: string
  /** The host port a container port is published on. */
  mappedPort(port: number): number
  /** `http://127.0.0.1:<mapped>` + path. */
  url(port: number, path?: string): string
  /** Everything the container printed so far (stdout and stderr interleaved). */
  logs(): Promise<string>
  /** One resource sample. */
  stats(): Promise<ResourceSample>
  /** State from the engine: running, exit code, OOM-killed, health. */
  state(): Promise<{ running: boolean; exitCode?: number; oomKilled: boolean; health?: string }>
  /**
   * Stop with the image's stop signal (or `signal`) and wait up to `timeoutMs` (default 10000)
   * before the engine kills it; then remove it. Returns how long the stop took and whether it was graceful.
   */
  stop(options?: {
    signal?: string
    timeoutMs?: number
  }): Promise<{ ms: number; graceful: boolean; exitCode?: number }>
}
