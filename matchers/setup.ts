import { expect, inject } from 'vitest'
import { setRunPolicy } from '../src/config/run-policy.ts'
import { imgtestMatchers } from './index.ts'

declare module 'vitest' {
  interface ProvidedContext {
    /** The imgtest config's policy, provided by the runner (`npx imgtest`). */
    imgtestPolicy: import('../src/compare/policy.ts').Policy | undefined
  }
}

// Loaded by `npx imgtest` before every test file; users of plain vitest add 'imgtest/setup' to setupFiles.
expect.extend(imgtestMatchers)
setRunPolicy(inject('imgtestPolicy'))
