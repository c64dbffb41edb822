// What imgtest's suite engine adds over running the same tests by hand with the docker CLI.
// Run: node bench/suite.bench.ts [runs per side, default 5]  (after `node fixtures/build.ts`)
//
// 1. CPython: suites.python() on python-rebuilt with the tests copied out of python-upstream
//    (probes, copy, mount, regrtest, parsing) against the shell a person would write: docker cp
//    the tests out of upstream, docker run rebuilt with them mounted, python3 -m test.
// 2. Commands: a suites.command() of 10 one-shot commands against 10 `docker run --rm`.
// Runs alternate ABBA; printed: medians, MADs and imgtest's ratio over the baseline.
import { execa } from 'execa'
import { fixtures } from '../fixtures/images.ts'
import { interleaveOrder, median, medianAbsoluteDeviation } from '../src/runtime/timing-stats.ts'
import { runSuite } from '../src/suite/run-suite.ts'
import { command } from '../suites/command.ts'
import { python } from '../suites/python.ts'

const runs = Number(process.argv[2] ?? 5)
const tests = ['test_base64', 'test_bz2', 'test_json', 'test_zlib']
const labels = { 'dev.imgtest': '1' }

const regrtestByHand = `
set -e
dir=$(mktemp -d)
id=$(docker create --label dev.imgtest=1 "$1")
docker cp "$id:/usr/lib/python3.11/test" "$dir/test"
docker rm "$id" >/dev/null
docker run --rm --label dev.imgtest=1 -v "$dir/test:/usr/lib/python3.11/test:ro" "$2" python3 -m test -j2 ${tests.join(' ')} >/dev/null || true
rm -rf "$dir"`

const commandsByHand = `
for i in $(seq 1 10); do docker run --rm --label dev.imgtest=1 "$1" echo "$i" >/dev/null; done`

async function timed(run: () => Promise<unknown>): Promise<number> {
  const started = performance.now()
  await run()
  return performance.now() - started
}

async function compare(
  what: string,
  imgtest: () => Promise<unknown>,
  byHand: () => Promise<unknown>,
): Promise<void> {
  // Warm both paths once (modules, the engine's caches).
  await imgtest()
  await byHand()
  const ours: number[] = []
  const theirs: number[] = []
  for (const side of interleaveOrder(2 * runs)) {
    if (side === 'upstream') ours.push(await timed(imgtest))
    else theirs.push(await timed(byHand))
  }
  const fmt = (values: number[]) =>
    `median ${median(values).toFixed(0).padStart(6)} ms  ±${medianAbsoluteDeviation(values).toFixed(0)} ms (MAD, ${values.length} runs)`
  console.log(what)
  console.log(`  imgtest           ${fmt(ours)}`)
  console.log(`  docker CLI        ${fmt(theirs)}`)
  console.log(`  ratio imgtest / docker CLI: ${(median(ours) / median(theirs)).toFixed(2)}`)
}

await compare(
  `CPython regrtest, ${tests.join(' ')} (-j2), tests from ${fixtures.pythonUpstream} run on ${fixtures.pythonRebuilt}`,
  async () => {
    const run = await runSuite(fixtures.pythonRebuilt, python({ tests, jobs: 2, container: { labels } }), {
      upstream: fixtures.pythonUpstream,
    })
    if (run.cases.length !== tests.length) throw new Error(`expected ${tests.length} cases:\n${run.log}`)
  },
  () => execa('bash', ['-c', regrtestByHand, 'bench', fixtures.pythonUpstream, fixtures.pythonRebuilt]),
)

const commands = command(
  Array.from({ length: 10 }, (_, i) => ({ name: `echo ${i + 1}`, command: ['echo', String(i + 1)] })),
  { container: { labels } },
)
await compare(
  `10 one-shot commands on ${fixtures.webUpstream}, one at a time`,
  () => runSuite(fixtures.webUpstream, commands),
  () => execa('bash', ['-c', commandsByHand, 'bench', fixtures.webUpstream]),
)
