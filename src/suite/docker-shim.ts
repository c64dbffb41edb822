import { chmod, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { makeTempDir } from '../runtime/cleanup.ts'

/** Label on every container and network one run of a host-side suite creates (its value: the run's id). */
export const SUITE_RUN_LABEL = 'dev.imgtest.suite-run'
/** Label naming the case (test script) that created a container or network, so it can be removed alone. */
export const SUITE_CASE_LABEL = 'dev.imgtest.suite-case'
/** The environment variable the shim reads the case label's value from. */
export const SUITE_CASE_ENV = 'IMGTEST_SUITE_CASE'

/** A `docker` wrapper in a temp dir; put `dir` first on PATH, remove it when done. */
export interface DockerShim extends AsyncDisposable {
  dir: string
}

const quote = (text: string): string => `'${text.replaceAll("'", `'\\''`)}'`

/**
 * The text of the shim: `docker run`, `docker create`, `docker container run|create` and
 * `docker network create` get `labels` (plus the case label from `$IMGTEST_SUITE_CASE`) right
 * after the subcommand; global options before it are skipped; every other call goes to `docker`
 * unchanged. Test scripts call docker themselves, so this is how their containers are found.
 *
 * @example
 * dockerShimScript('/usr/bin/bash', '/usr/bin/docker', { 'dev.imgtest.owner': 'imgtest' })
 */
export function dockerShimScript(bash: string, docker: string, labels: Record<string, string>): string {
  const fixed = Object.entries(labels).map(([key, value]) => `--label ${quote(`${key}=${value}`)}`)
  return `#!${bash}
# imgtest's docker shim: labels the containers and networks a test script creates, so imgtest can
# remove them when the test ends or times out. Everything else reaches docker unchanged.
labels=(${fixed.join(' ')} --label "${SUITE_CASE_LABEL}=\${${SUITE_CASE_ENV}:-}")
args=("$@")
i=0
while [ "$i" -lt "\${#args[@]}" ]; do
  case "\${args[i]}" in
    -H|--host|-c|--context|--config|-l|--log-level|--tlscacert|--tlscert|--tlskey) i=$((i + 2)) ;;
    -*) i=$((i + 1)) ;;
    *) break ;;
  esac
done
at=
case "\${args[i]}" in
  run|create) at=$((i + 1)) ;;
  container) case "\${args[i + 1]}" in run|create) at=$((i + 2)) ;; esac ;;
  network) if [ "\${args[i + 1]}" = create ]; then at=$((i + 2)); fi ;;
esac
if [ -n "$at" ]; then
  exec ${quote(docker)} "\${args[@]:0:at}" "\${labels[@]}" "\${args[@]:at}"
fi
exec ${quote(docker)} "$@"
`
}

/**
 * Writes the shim to a fresh temp dir (removed on dispose).
 *
 * @example
 * await using shim = await writeDockerShim('/usr/bin/bash', '/usr/bin/docker', labels)
 * execa('run.sh', [ref], { env: { PATH: `${shim.dir}:${process.env.PATH}` } })
 */
export async function writeDockerShim(
  bash: string,
  docker: string,
  labels: Record<string, string>,
): Promise<DockerShim> {
  const dir = await makeTempDir('imgtest-docker-shim-')
  const file = join(dir.path, 'docker')
  await writeFile(file, dockerShimScript(bash, docker, labels))
  await chmod(file, 0o755)
  return { dir: dir.path, [Symbol.asyncDispose]: dir.remove }
}
