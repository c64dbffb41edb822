import type { Policy } from '../src/compare/policy.ts'
import { toHaveInterfaceParity } from './interface-parity.ts'
import { type SizeParityOptions, toHaveSizeParity } from './size-parity.ts'

/** Every imgtest matcher, for `expect.extend(imgtestMatchers)` in a setup file. */
export const imgtestMatchers = {
  toHaveInterfaceParity,
  toHaveSizeParity,
}

/** The matchers' types; `received` is a pair from `pair()` or an image from `image()`. */
export interface ImgtestMatchers<R = unknown> {
  /** Entrypoint, cmd, env, ports, user, workdir, volumes, labels, stop signal, healthcheck, shell, onbuild. */
  toHaveInterfaceParity(policy?: Policy): Promise<R>
  /** The rebuilt image is at most `maxRatio` (default 1) times upstream's size, plus `slackBytes`. */
  toHaveSizeParity(options?: SizeParityOptions): Promise<R>
}

declare module 'vitest' {
  interface Matchers<R extends void | Promise<void> = void | Promise<void>, T = unknown>
    extends ImgtestMatchers<void> {}
}

export type { SizeParityOptions }
