import type { TestProject } from 'vitest/node'

// Expensive shared resources (the local registry, …) start here and reach tests through provide/inject.
export default async function setup(_project: TestProject): Promise<() => Promise<void>> {
  return async () => {}
}
