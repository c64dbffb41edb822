import { command } from './command.ts'

/**
 * The built-in suites: `suites.command([...])` so far.
 *
 * @example
 * await expect(web).toPassUpstreamSuite(suites.command([{ name: 'sh', command: ['sh', '-c', 'true'] }]))
 */
export const suites = { command }
