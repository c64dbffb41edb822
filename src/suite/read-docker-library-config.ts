import { realpath, stat } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { execa } from 'execa'
import { ImgtestError } from '../errors.ts'
import { type DockerLibraryConfig, parseConfigDump } from './docker-library-config.ts'

/** Where an official-images checkout keeps its tests, and the configs to source. */
export interface DockerLibraryCheckout {
  /** `<checkout>/test`, resolved (run.sh's `$dir`). */
  testDir: string
  /** Resolved config files, in order: the given ones, or `test/config.sh`. */
  configs: string[]
}

const CLONE = 'git clone https://github.com/docker-library/official-images'

/**
 * Checks that `checkout` is an official-images checkout (test/run.sh, test/tests/, and
 * test/config.sh unless other configs are given) and that each config exists. Throws one
 * IMGTEST_USAGE error naming what is missing, where, and what to do.
 *
 * @example
 * await checkDockerLibraryCheckout('/src/official-images') // { testDir: '/src/official-images/test', configs: [ … ] }
 */
export async function checkDockerLibraryCheckout(
  checkout: string,
  configs: readonly string[] = [],
): Promise<DockerLibraryCheckout> {
  const root = resolve(checkout)
  const kind = await kindOf(root)
  if (kind !== 'dir') {
    throw new ImgtestError(
      'IMGTEST_USAGE',
      `docker-library checkout ${root} ${kind === 'none' ? 'does not exist' : 'is not a directory'}; clone it there first (${CLONE} ${root}) or point checkout at your clone`,
    )
  }
  const needed = ['test/run.sh', 'test/tests/', ...(configs.length === 0 ? ['test/config.sh'] : [])]
  for (const path of needed) {
    const want = path.endsWith('/') ? 'dir' : 'file'
    if ((await kindOf(join(root, path))) !== want) {
      throw new ImgtestError(
        'IMGTEST_USAGE',
        `${root} is not a docker-library official-images checkout: it has no ${path} (a checkout holds test/run.sh, test/config.sh and test/tests/<name>/run.sh); point checkout at the root of a clone (${CLONE})`,
      )
    }
  }
  const files = configs.length === 0 ? [join(root, 'test/config.sh')] : configs.map((c) => resolve(c))
  for (const file of files) {
    if ((await kindOf(file)) !== 'file') {
      throw new ImgtestError(
        'IMGTEST_USAGE',
        `docker-library config ${file} does not exist or is not a file; fix the path in configs (relative paths are from ${process.cwd()})`,
      )
    }
  }
  // run.sh sources configs by their real path and looks tests up next to them.
  return {
    testDir: await realpath(join(root, 'test')),
    configs: await Promise.all(files.map((f) => realpath(f))),
  }
}

// Sources the configs as test/run.sh does (same variable names, `set -e`, test paths looked up
// after each config) and prints its arrays NUL-separated on fd 3, so a config's own output
// (moved to stderr) cannot garble them.
const SCRIPT = `
set -e
exec 3>&1 1>&2
if [ "\${BASH_VERSINFO[0]}" -lt 4 ]; then
  echo "bash $BASH_VERSION has no associative arrays; test/run.sh needs bash 4 or later" >&2
  exit 64
fi
dir="$1"
shift
declare -a globalTests=()
declare -A testAlias=()
declare -A imageTests=()
declare -A globalExcludeTests=()
declare -A explicitTests=()
declare -A testPaths=()
for conf in "$@"; do
  . "$conf"
  confDir="$(dirname "$conf")"
  for testName in \${globalTests[@]} \${imageTests[@]}; do
    [ "\${testPaths[$testName]}" ] && continue
    if [ -d "$confDir/tests/$testName" ]; then
      testPaths[$testName]="$confDir/tests/$testName"
    elif [ -d "$dir/tests/$testName" ]; then
      testPaths[$testName]="$dir/tests/$testName"
    fi
  done
done
for k in "\${!globalTests[@]}"; do printf 'globalTests\\0%s\\0%s\\0' "$k" "\${globalTests[$k]}" >&3; done
for k in "\${!testAlias[@]}"; do printf 'testAlias\\0%s\\0%s\\0' "$k" "\${testAlias[$k]}" >&3; done
for k in "\${!imageTests[@]}"; do printf 'imageTests\\0%s\\0%s\\0' "$k" "\${imageTests[$k]}" >&3; done
for k in "\${!globalExcludeTests[@]}"; do printf 'globalExcludeTests\\0%s\\0%s\\0' "$k" "\${globalExcludeTests[$k]}" >&3; done
for k in "\${!explicitTests[@]}"; do printf 'explicitTests\\0%s\\0%s\\0' "$k" "\${explicitTests[$k]}" >&3; done
for k in "\${!testPaths[@]}"; do printf 'testPaths\\0%s\\0%s\\0' "$k" "\${testPaths[$k]}" >&3; done
`

/** Sourcing configs takes a moment; one that hangs is broken. */
const CONFIG_TIMEOUT_MS = 60_000

/**
 * Sources the checkout's configs with bash, as test/run.sh does, and returns its variables.
 * A config that fails (or a bash without associative arrays) is IMGTEST_BAD_CONFIG with bash's
 * message.
 *
 * @example
 * const config = await readDockerLibraryConfig('/usr/bin/bash', checkout)
 * config.testAlias.pypy // 'python'
 */
export async function readDockerLibraryConfig(
  bash: string,
  checkout: DockerLibraryCheckout,
): Promise<DockerLibraryConfig> {
  const result = await execa(
    bash,
    ['-c', SCRIPT, 'imgtest-docker-library-config', checkout.testDir, ...checkout.configs],
    {
      cwd: checkout.testDir,
      stdin: 'ignore',
      reject: false,
      timeout: CONFIG_TIMEOUT_MS,
    },
  )
  if (result.exitCode !== 0) {
    const why = result.timedOut
      ? `did not finish in ${CONFIG_TIMEOUT_MS} ms`
      : `failed (exit code ${result.exitCode ?? result.signal})${result.stderr.trim() ? `: ${result.stderr.trim().slice(-500)}` : ''}`
    throw new ImgtestError(
      'IMGTEST_BAD_CONFIG',
      `sourcing ${checkout.configs.join(', ')} with ${bash}, as test/run.sh does, ${why}; fix the config`,
    )
  }
  return parseConfigDump(result.stdout)
}

async function kindOf(path: string): Promise<'file' | 'dir' | 'other' | 'none'> {
  const stats = await stat(path).catch(() => undefined)
  if (stats === undefined) return 'none'
  return stats.isDirectory() ? 'dir' : stats.isFile() ? 'file' : 'other'
}
