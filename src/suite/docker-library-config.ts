/**
 * The docker-library official-images test configuration (`test/config.sh` and any `-c` configs)
 * as data, and the choice of tests for one image exactly as the repository's `test/run.sh` makes
 * it. Pure: the configs are sourced by bash in read-docker-library-config.ts.
 */

/** run.sh's configuration variables once every config is sourced, and where each test was found. */
export interface DockerLibraryConfig {
  globalTests: string[]
  /** `[pypy]='python'`: the repo whose tests an image also runs. */
  testAlias: Record<string, string>
  /** `[python]=' python-imports … '`, `[python:slim]`, `[:onbuild]`: whitespace-separated names, as written. */
  imageTests: Record<string, string>
  /** `[repo_test]`, `[repo:variant_test]`, `[:variant_test]` set to anything non-empty. */
  globalExcludeTests: Record<string, string>
  /** `[:onbuild]`, `[repo:variant]`: such images run only the tests listed for their variant. */
  explicitTests: Record<string, string>
  /** run.sh's `testPaths`: each listed test's directory (next to its config first, then `test/tests/`). */
  testPaths: Record<string, string>
}

export interface DockerLibrarySelectOptions {
  /** Only these tests, as run.sh's `-t` (given more than once). */
  tests?: readonly string[]
  /** Match `imageTests` on the repo with its namespace (`myorg/python`), as `--keep-namespace`. */
  keepNamespace?: boolean
}

/** One selected test: its directory, or none when no config's `tests/` has it (an error case). */
export interface SelectedTest {
  name: string
  dir?: string
}

/** What run.sh decides for one image name, with why each other candidate was dropped. */
export interface DockerLibrarySelection {
  image: string
  repo: string
  /** The repo tests are looked up by: namespace dropped, then `testAlias[repo]` if set. */
  testRepo: string
  variant: string
  /** An `explicitTests` variant: global and plain repo tests do not apply. */
  explicit: boolean
  tests: SelectedTest[]
  /** Dropped by `globalExcludeTests`, with the key that matched. */
  excluded: { name: string; key: string }[]
  /** Dropped because `tests` (`-t`) does not name them. */
  filtered: string[]
}

/**
 * The repo, tag and variant run.sh derives from an image name: repo up to the last `:`, tag after
 * the first, variant after the tag's last `-` (any `onbuild` tag is `onbuild`; `*fpm-alpine` is `fpm`).
 *
 * @example
 * imageParts('python:3.11-slim') // { repo: 'python', tag: '3.11-slim', variant: 'slim' }
 */
export function imageParts(image: string): { repo: string; tag: string; variant: string } {
  // Bash's ${image%:*}, ${image#*:} and ${tag##*-}: no `:` leaves the whole name in both.
  const repo = image.includes(':') ? image.slice(0, image.lastIndexOf(':')) : image
  const tag = image.slice(image.indexOf(':') + 1)
  let variant = tag.slice(tag.lastIndexOf('-') + 1)
  if (tag.includes('onbuild')) variant = 'onbuild'
  else if (tag.endsWith('fpm-alpine')) variant = 'fpm'
  return { repo, tag, variant }
}

/**
 * The tests run.sh runs for an image name, in its order: global tests, `imageTests[:variant]`,
 * `imageTests[testRepo]`, `imageTests[testRepo:variant]`, then (for an alias) the repo's own
 * `imageTests[repo]` and `imageTests[repo:variant]`; an explicit variant drops the global and
 * plain-repo lists. Tests not named in `tests` (`-t`) or matched by `globalExcludeTests` are
 * dropped. A name listed twice runs once (case names are keys; run.sh would run it twice).
 *
 * @example
 * selectDockerLibraryTests(config, 'pypy:3-slim').tests.map((t) => t.name)
 * // ['utc', 'no-hard-coded-passwords', 'override-cmd', 'python-imports', …]
 */
export function selectDockerLibraryTests(
  config: DockerLibraryConfig,
  image: string,
  options: DockerLibrarySelectOptions = {},
): DockerLibrarySelection {
  const { repo, variant } = imageParts(image)
  let testRepo = options.keepNamespace ? repo : repo.slice(repo.lastIndexOf('/') + 1)
  // run.sh looks the alias up by the full repo, namespace included.
  const alias = valueOf(config.testAlias, repo)
  if (alias !== '') testRepo = alias
  const explicit = [`:${variant}`, `${repo}:${variant}`, `${testRepo}:${variant}`].some(
    (key) => valueOf(config.explicitTests, key) !== '',
  )
  const listed = (key: string) => words(valueOf(config.imageTests, key))
  const candidates = [
    ...(explicit ? [] : config.globalTests),
    ...listed(`:${variant}`),
    ...(explicit ? [] : listed(testRepo)),
    ...listed(`${testRepo}:${variant}`),
    ...(testRepo === repo ? [] : [...(explicit ? [] : listed(repo)), ...listed(`${repo}:${variant}`)]),
  ]
  const only = new Set(options.tests ?? [])
  const selection: DockerLibrarySelection = {
    image,
    repo,
    testRepo,
    variant,
    explicit,
    tests: [],
    excluded: [],
    filtered: [],
  }
  const seen = new Set<string>()
  for (const name of candidates) {
    if (name === '' || seen.has(name)) continue
    seen.add(name)
    if (only.size > 0 && !only.has(name)) {
      selection.filtered.push(name)
      continue
    }
    const excludedBy = [
      `${testRepo}_${name}`,
      `${testRepo}:${variant}_${name}`,
      `:${variant}_${name}`,
      `${repo}_${name}`,
      `${repo}:${variant}_${name}`,
    ].find((key) => valueOf(config.globalExcludeTests, key) !== '')
    if (excludedBy !== undefined) {
      selection.excluded.push({ name, key: excludedBy })
      continue
    }
    const dir = valueOf(config.testPaths, name)
    selection.tests.push(dir === '' ? { name } : { name, dir })
  }
  return selection
}

/**
 * Reads what read-docker-library-config.ts's bash prints: NUL-separated triples of array name,
 * key (an index for `globalTests`) and value.
 *
 * @example
 * parseConfigDump('testAlias\0pypy\0python\0') // { testAlias: { pypy: 'python' }, globalTests: [], … }
 */
export function parseConfigDump(dump: string): DockerLibraryConfig {
  const config: DockerLibraryConfig = {
    globalTests: [],
    testAlias: record(),
    imageTests: record(),
    globalExcludeTests: record(),
    explicitTests: record(),
    testPaths: record(),
  }
  const fields = dump.split('\0')
  const indexed: [number, string][] = []
  for (let at = 0; at + 2 < fields.length; at += 3) {
    const [array, key, value] = fields.slice(at, at + 3) as [string, string, string]
    if (array === 'globalTests') indexed.push([Number(key), value])
    else if (isMap(array)) config[array][key] = value
  }
  // Bash lists indexed arrays in index order already; sorting keeps that if it ever did not.
  config.globalTests = indexed.sort((a, b) => a[0] - b[0]).map(([, value]) => value)
  return config
}

const MAPS = ['testAlias', 'imageTests', 'globalExcludeTests', 'explicitTests', 'testPaths'] as const

function isMap(name: string): name is (typeof MAPS)[number] {
  return (MAPS as readonly string[]).includes(name)
}

// No prototype: a key such as `__proto__` is an ordinary key, as in bash.
function record(): Record<string, string> {
  return Object.create(null) as Record<string, string>
}

// Own keys only: a repo named `constructor` must not find Object's.
function valueOf(record: Record<string, string>, key: string): string {
  return Object.hasOwn(record, key) ? (record[key] ?? '') : ''
}

// Bash's word splitting of an unquoted `${imageTests[…]}` (default IFS).
function words(value: string): string[] {
  return value.split(/[ \t\n]+/).filter((word) => word !== '')
}
