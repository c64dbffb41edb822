import type { FileExpectation } from '../src/compare/image-checks.ts'
import type { Policy } from '../src/compare/policy.ts'
import {
  type BehaveOptions,
  type BehaviourMatchers,
  type ServeOptions,
  type StopGracefullyOptions,
  toBehaveTheSame,
  toHaveScenarioParity,
  toServeTheSame,
  toStopGracefully,
} from './behaviour-parity.ts'
import {
  type BenchmarkParityMatchers,
  type BenchmarkParityOptions,
  toHaveBenchmarkParity,
} from './benchmark-parity.ts'
import { type FilesystemParityOptions, toHaveFilesystemParity } from './filesystem-parity.ts'
import {
  type HardenedModeOptions,
  type ReadOnlyRootfsOptions,
  toRunAsNonRoot,
  toRunWithoutCapabilities,
  toRunWithReadOnlyRootfs,
} from './hardened-modes.ts'
import { toHaveFile, toHaveNoPackageManager, toHaveNoShell } from './image-content.ts'
import { toHaveInterfaceParity } from './interface-parity.ts'
import { type PackageParityOptions, toHavePackageParity } from './package-parity.ts'
import {
  type ResourceParityMatchers,
  type ResourceParityOptions,
  toHaveResourceParity,
} from './resource-parity.ts'
import { type SbomMatchOptions, toMatchSbom } from './sbom-match.ts'
import { type SizeParityOptions, toHaveSizeParity } from './size-parity.ts'
import {
  type StartupParityMatchers,
  type StartupParityOptions,
  type StartWithinOptions,
  toHaveStartupParity,
  toStartWithin,
} from './startup-parity.ts'
import { type SuiteMatchers, toPassSuite, toPassUpstreamSuite } from './suite-parity.ts'

/** Every imgtest matcher, for `expect.extend(imgtestMatchers)` in a setup file. */
export const imgtestMatchers = {
  toHaveInterfaceParity,
  toHaveSizeParity,
  toHaveFilesystemParity,
  toHavePackageParity,
  toMatchSbom,
  toHaveFile,
  toHaveNoShell,
  toHaveNoPackageManager,
  toHaveStartupParity,
  toStartWithin,
  toHaveBenchmarkParity,
  toHaveResourceParity,
  toRunAsNonRoot,
  toRunWithReadOnlyRootfs,
  toRunWithoutCapabilities,
  toBehaveTheSame,
  toServeTheSame,
  toStopGracefully,
  toHaveScenarioParity,
  toPassUpstreamSuite,
  toPassSuite,
}

/** The matchers' types; `received` is a pair from `pair()` or an image from `image()`. */
export interface ImgtestMatchers<R = unknown>
  extends StartupParityMatchers<R>,
    BenchmarkParityMatchers<R>,
    ResourceParityMatchers<R>,
    BehaviourMatchers<R>,
    SuiteMatchers<R> {
  /** Entrypoint, cmd, env, ports, user, workdir, volumes, labels, stop signal, healthcheck, shell, onbuild. */
  toHaveInterfaceParity(policy?: Policy): Promise<R>
  /** The rebuilt image is at most `maxRatio` (default 1) times upstream's size, plus `slackBytes`. */
  toHaveSizeParity(options?: SizeParityOptions): Promise<R>
  /** PATH executables, entrypoint/cmd programs and `paths` globs kept with compatible type, mode, owner; no new setuid; same users and groups. */
  toHaveFilesystemParity(options?: FilesystemParityOptions): Promise<R>
  /** Every upstream package present at the same or a newer version, its license files kept. */
  toHavePackageParity(options?: PackageParityOptions): Promise<R>
  /** On one image: a CycloneDX/SPDX SBOM (object, or a path on the host or in the image) lists exactly what is installed. */
  toMatchSbom(sbom: string | object, options?: SbomMatchOptions): Promise<R>
  /** On one image: the path exists (symlinks followed inside the image), with this mode and owner if given. */
  toHaveFile(path: string, expected?: FileExpectation): Promise<R>
  /** On one image: no program named after a shell (sh, bash, …, busybox) can run. */
  toHaveNoShell(): Promise<R>
  /** On one image: no OS package manager (and no language one with `{ language: true }`). */
  toHaveNoPackageManager(options?: { language?: boolean }): Promise<R>
  /** On one image: its user resolves to a non-zero uid, and a container started as configured gets ready. */
  toRunAsNonRoot(options?: HardenedModeOptions): Promise<R>
  /** On one image: it gets ready and stays up with a read-only root (tmpfs at `writable` paths). */
  toRunWithReadOnlyRootfs(options?: ReadOnlyRootfsOptions): Promise<R>
  /** On one image: it gets ready and stays up with every capability dropped and no-new-privileges. */
  toRunWithoutCapabilities(options?: HardenedModeOptions): Promise<R>
}

declare module 'vitest' {
  interface Matchers<R extends void | Promise<void> = void | Promise<void>, T = unknown>
    extends ImgtestMatchers<void> {}
}

export type {
  BehaveOptions,
  BenchmarkParityOptions,
  FileExpectation,
  FilesystemParityOptions,
  HardenedModeOptions,
  PackageParityOptions,
  ReadOnlyRootfsOptions,
  ResourceParityOptions,
  SbomMatchOptions,
  ServeOptions,
  SizeParityOptions,
  StartupParityOptions,
  StartWithinOptions,
  StopGracefullyOptions,
}
