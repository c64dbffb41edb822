import type { MatcherState, SyncMatcherResult } from 'vitest'
import { isImagePair } from '../src/compare/image-pair.ts'
import type { Policy } from '../src/compare/policy.ts'
import { ImgtestError } from '../src/errors.ts'
import { type CommandParityOptions, runInBoth } from '../src/runtime/behaviour-command.ts'
import { type HttpParityOptions, serveInBoth } from '../src/runtime/behaviour-http.ts'
import type { HttpRequestSpec } from '../src/runtime/behaviour-http-check.ts'
import { isScenario, runScenario } from '../src/runtime/behaviour-scenario.ts'
import { type StopOptions, stopParity } from '../src/runtime/behaviour-stop.ts'
import {
  callPolicyOf,
  expectImage,
  expectPair,
  imageSubject,
  pairSubject,
  parityResult,
  snapshotsOf,
} from './parity-result.ts'

export interface BehaveOptions extends CommandParityOptions {
  policy?: Policy
}

export interface ServeOptions extends HttpParityOptions {
  policy?: Policy
}

export interface StopGracefullyOptions extends StopOptions {
  policy?: Policy
}

/**
 * `expect(pair).toBehaveTheSame(['app', '--version'], opts?)`: the command, run as the container's
 * command in a fresh container of each image, exits with the same code and prints the same stdout
 * and stderr once timestamps, ids and hostnames are normalised.
 */
export async function toBehaveTheSame(
  this: MatcherState,
  received: unknown,
  command: string[],
  options: BehaveOptions = {},
): Promise<SyncMatcherResult> {
  const pair = expectPair(received, 'toBehaveTheSame')
  const { policy, ...rest } = options
  const callPolicy = callPolicyOf(policy, 'toBehaveTheSame')
  const [result, snapshots] = await Promise.all([runInBoth(pair, command, rest), snapshotsOf(pair)])
  return parityResult(this, 'toBehaveTheSame', pairSubject(pair, snapshots), result.findings, callPolicy)
}

/**
 * `expect(pair).toServeTheSame([{ path: '/' }, …], { ready: { port: 8080 } })`: both images answer
 * the same requests with the same status, chosen headers (content-type by default) and body
 * (JSON compared structurally, text after normalisation).
 */
export async function toServeTheSame(
  this: MatcherState,
  received: unknown,
  requests: HttpRequestSpec[],
  options: ServeOptions = {},
): Promise<SyncMatcherResult> {
  const pair = expectPair(received, 'toServeTheSame')
  const { policy, ...rest } = options
  const callPolicy = callPolicyOf(policy, 'toServeTheSame')
  const [result, snapshots] = await Promise.all([serveInBoth(pair, requests, rest), snapshotsOf(pair)])
  return parityResult(this, 'toServeTheSame', pairSubject(pair, snapshots), result.findings, callPolicy)
}

/**
 * `expect(pair).toStopGracefully({ ready, deadlineMs })`: on its stop signal the rebuilt image exits
 * within the deadline (not SIGKILLed) whenever upstream does. On one image (`pair.rebuilt`,
 * `image(ref)`): it exits within the deadline.
 */
export async function toStopGracefully(
  this: MatcherState,
  received: unknown,
  options: StopGracefullyOptions,
): Promise<SyncMatcherResult> {
  if (options?.ready === undefined) {
    throw new ImgtestError(
      'IMGTEST_USAGE',
      'toStopGracefully() needs { ready }: when the container is up, e.g. { ready: { port: 8080 }, deadlineMs: 3000 }',
    )
  }
  const { policy, ...rest } = options
  const callPolicy = callPolicyOf(policy, 'toStopGracefully')
  if (isImagePair(received)) {
    const [result, snapshots] = await Promise.all([stopParity(received, rest), snapshotsOf(received)])
    return parityResult(
      this,
      'toStopGracefully',
      pairSubject(received, snapshots),
      result.findings,
      callPolicy,
    )
  }
  const image = expectImage(received, 'toStopGracefully')
  const [result, snapshot] = await Promise.all([stopParity(image, rest), image.snapshot()])
  return parityResult(this, 'toStopGracefully', imageSubject(snapshot), result.findings, callPolicy)
}

/**
 * `expect(scenario({ services, check })).toHaveScenarioParity()`: the services started with every
 * upstream image and with every rebuilt image give the same check result.
 */
export async function toHaveScenarioParity(
  this: MatcherState,
  received: unknown,
  policy?: Policy,
): Promise<SyncMatcherResult> {
  if (!isScenario(received)) {
    throw new ImgtestError(
      'IMGTEST_USAGE',
      'toHaveScenarioParity() expects a scenario made by scenario({ services, check })',
    )
  }
  const callPolicy = callPolicyOf(policy, 'toHaveScenarioParity')
  const result = await runScenario(received)
  return parityResult(
    this,
    'toHaveScenarioParity',
    { name: received.name, images: {} },
    result.findings,
    callPolicy,
  )
}

/** The behaviour matchers' types, for `ImgtestMatchers` in index.ts to extend. */
export interface BehaviourMatchers<R = unknown> {
  /** The same command in a fresh container of each image: same exit code, stdout and stderr after normalisation. */
  toBehaveTheSame(command: string[], options?: BehaveOptions): Promise<R>
  /** The same HTTP requests to both: same status, chosen headers (content-type) and body (JSON structurally). */
  toServeTheSame(requests: HttpRequestSpec[], options?: ServeOptions): Promise<R>
  /** On its stop signal the rebuilt image (or one image) exits within `deadlineMs`, not SIGKILLed, when upstream does. */
  toStopGracefully(options: StopGracefullyOptions): Promise<R>
  /** On a `scenario()`: upstream services and rebuilt services give the same check result. */
  toHaveScenarioParity(policy?: Policy): Promise<R>
}
