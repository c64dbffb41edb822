// The test-file face of imgtest: `import { pair, image, suites } from 'imgtest'`.
import type {} from '../matchers/index.ts'

export type {
  FileExpectation,
  FilesystemParityOptions,
  ImgtestMatchers,
  PackageParityOptions,
  SbomMatchOptions,
  SizeParityOptions,
} from '../matchers/index.ts'
export { suites } from '../suites/index.ts'
export type { StructureTestSuite } from '../suites/structure-test.ts'
export type { Finding } from './compare/finding.ts'
export type { ImagePair, PairOptions } from './compare/image-pair.ts'
export { pair } from './compare/image-pair.ts'
export type { AllowRule, KnownFailure, Policy } from './compare/policy.ts'
export type { SizeOptions } from './compare/size-checks.ts'
export type { ImgtestConfig } from './config/imgtest-config.ts'
export { defineConfig } from './config/imgtest-config.ts'
export type { ImgtestErrorCode } from './errors.ts'
export { ImgtestError } from './errors.ts'
export type { FileEntry, FileIndex } from './image/file-index.ts'
export type { ImageContents } from './image/image-contents.ts'
export { ImageHandle, image } from './image/image-handle.ts'
export type { Ecosystem, InstalledPackage, Inventory } from './image/inventory/package.ts'
export type { ImageConfig, ImageSnapshot, LayerInfo, Platform } from './image/snapshot.ts'
export type { Scenario, ScenarioDefinition } from './runtime/behaviour-scenario.ts'
export { scenario } from './runtime/behaviour-scenario.ts'
export type { ContainerOptions, ReadySpec, RunningContainer } from './runtime/container-types.ts'
export type { SuiteProgress } from './suite/suite-progress.ts'
export type {
  CommandSuite,
  DockerLibrarySuite,
  PythonSuite,
  ScriptSuite,
  SuiteCase,
  SuiteDefinition,
  SuiteRun,
} from './suite/suite-types.ts'
