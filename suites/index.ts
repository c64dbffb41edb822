import { command } from './command.ts'
import { dockerLibrary } from './docker-library.ts'
import { python } from './python.ts'
import { structureTest } from './structure-test.ts'

/**
 * The built-in suites: `suites.command([...])`, `suites.python(options)` (CPython's regression
 * tests), `suites.structureTest(files)` (container-structure-test YAML) and
 * `suites.dockerLibrary({ checkout, image })` (docker-library official-images tests).
 *
 * @example
 * await expect(web).toPassUpstreamSuite(suites.command([{ name: 'sh', command: ['sh', '-c', 'true'] }]))
 */
export const suites = { command, dockerLibrary, python, structureTest }
