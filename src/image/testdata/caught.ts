import { expect } from 'vitest'
import { ImgtestError } from '../../errors.ts'

/** The ImgtestError a call throws, checked to be one line; fails the test when it does not throw. */
export async function caught(run: () => unknown): Promise<ImgtestError> {
  try {
    await run()
  } catch (error) {
    expect(error).toBeInstanceOf(ImgtestError)
    expect((error as Error).message).not.toContain('\n')
    return error as ImgtestError
  }
  throw new Error('expected the call to throw')
}
