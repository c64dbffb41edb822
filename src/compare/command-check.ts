import { DEFAULT_SHELL, sameList, show } from './_normalize.ts'
import type { Finding } from './finding.ts'
import { newFinding } from './finding.ts'

/**
 * The command a shell-form ENTRYPOINT/CMD runs (`["/bin/sh","-c","nginx -g …"]` → `nginx -g …`),
 * or undefined for exec form. A Dockerfile writes shell form with the image's SHELL, so both that
 * shell and the default `/bin/sh -c` are recognised.
 */
export function shellFormCommand(
  args: readonly string[],
  shell: readonly string[] = DEFAULT_SHELL,
): string | undefined {
  for (const prefix of [shell, DEFAULT_SHELL]) {
    if (args.length === prefix.length + 1 && sameList(args.slice(0, prefix.length), prefix))
      return args.at(-1)
  }
  return undefined
}

function describeForm(args: readonly string[], shell: readonly string[]): string {
  const command = shellFormCommand(args, shell)
  if (command === undefined) return `exec form ${show(args)}`
  return `shell form (${args.slice(0, -1).join(' ')} ${command})`
}

/**
 * ENTRYPOINT or CMD compared as arrays, exactly. Unset and `[]` both mean "none" when a container
 * starts, so they are equal. When one side is shell form and the other exec form the message says
 * so: a shell-form command needs a shell in the image and runs as the shell's child, which changes
 * who receives the stop signal.
 *
 * @example
 * checkCommand('interface.cmd', ['nginx', '-g', 'daemon off;'], ['/bin/sh', '-c', 'nginx -g "daemon off;"'])
 * // → one finding: 'CMD: upstream uses exec form ["nginx","-g","daemon off;"], rebuilt uses shell form (/bin/sh -c nginx -g "daemon off;")'
 */
export function checkCommand(
  check: 'interface.entrypoint' | 'interface.cmd',
  upstream: readonly string[] | undefined,
  rebuilt: readonly string[] | undefined,
  shells: { upstream?: readonly string[]; rebuilt?: readonly string[] } = {},
): Finding[] {
  const instruction = check === 'interface.entrypoint' ? 'ENTRYPOINT' : 'CMD'
  const up = upstream ?? []
  const rb = rebuilt ?? []
  if (sameList(up, rb)) return []
  const upShell = shells.upstream ?? DEFAULT_SHELL
  const rbShell = shells.rebuilt ?? DEFAULT_SHELL
  let message: string
  if (rb.length === 0) message = `${instruction} ${show(up)} set upstream, not set in rebuilt`
  else if (up.length === 0) message = `${instruction} ${show(rb)} set in rebuilt, not set upstream`
  else if ((shellFormCommand(up, upShell) === undefined) !== (shellFormCommand(rb, rbShell) === undefined)) {
    message = `${instruction}: upstream uses ${describeForm(up, upShell)}, rebuilt uses ${describeForm(rb, rbShell)}`
  } else message = `${instruction} differs: upstream ${show(up)}, rebuilt ${show(rb)}`
  return [newFinding({ check, upstream, rebuilt, message })]
}
