import { command } from './command.ts'
import { python } from './python.ts'
import { structureTest } from './structure-test.ts'

/**
 * The built-in suites: `suites.command([...])`, `suites.python(options)` (CPython's regression
 * tests) and `suites.structureTest(files)` (container-structure-test YAML).
 *
 * @example
 * await expect(web).toPassUpstreamSuite(suites.command([{ name: 'sh', command: ['sh', '-c', 'true'] }]))
 */
export const suites = { command, python, structureTest }
