import { execa } from 'execa'
import type { TestProject } from 'vitest/node'
import { startRegistry } from './registry.ts'

declare module 'vitest' {
  interface ProvidedContext {
    /** `127.0.0.1:<port>` of a plain local registry shared by the end-to-end tests. */
    registryHost: string
  }
}

// Expensive shared resources start once here and reach tests through provide/inject: the built
// CLI (end-to-end tests run dist/ as users do) and a local registry.
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  await execa('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: project.config.root })
  const registry = await startRegistry()
  project.provide('registryHost', registry.host)
  return () => registry.stop()
}
