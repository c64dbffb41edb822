import { resolve } from 'node:path'
import { runImgtest } from '../runner/run-imgtest.ts'

export interface RunCommandOptions {
  filters: string[]
  junit?: string
  junitProperties?: 'system-out' | 'element'
  shard?: string
  root?: string
}

/** `imgtest [filters...]`: vitest over the parity tests; exit 0 when all pass, 1 otherwise. */
export async function runCommand(options: RunCommandOptions): Promise<number> {
  const { exitCode } = await runImgtest({
    root: resolve(options.root ?? '.'),
    filters: options.filters,
    junit: options.junit === undefined ? undefined : resolve(options.junit),
    junitProperties: options.junitProperties,
    shard: options.shard,
  })
  return exitCode
}
