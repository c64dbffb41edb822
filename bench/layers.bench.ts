// How long reading every layer of an image into a FileIndex takes, and how much memory it holds,
// measured in one run against the floor of reading the same bytes with docker's own tools.
// Run: node bench/layers.bench.ts [--runs 3] [--skip-big]
//
//  (a) cold readFileIndex of the Debian pair (engine, empty cache) over `docker save <both> | tar -t`
//  (b) warm readFileIndex (every layer cached) over cold
//  (a2, b2) the same for the whole `imgtest compare` command (every check, a new process each time)
//  (c) peak RSS of indexing a generated image of > 1 GB and > 100k files, in a child process,
//      next to the image size (the image is built here and removed afterwards)
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { execa } from 'execa'
import { fixtures } from '../fixtures/images.ts'
import { DEFAULT_CAPTURE } from '../src/image/capture.ts'
import { readFileIndex } from '../src/image/layers/read-file-index.ts'
import { loadSnapshot } from '../src/image/load.ts'
import type { ImageSnapshot } from '../src/image/snapshot.ts'
import { buildTestImage, removeTestImages, uniqueTag } from '../src/image/testdata/test-image.ts'

const args = process.argv.slice(2)
const runs = Number(args[args.indexOf('--runs') + 1] ?? 3) || 3
const pair = [fixtures.debianUpstream, fixtures.debianRebuilt]
const scratch = await mkdtemp(join(tmpdir(), 'imgtest-bench-layers-'))
let cacheCount = 0
const freshCache = () => join(scratch, `cache-${cacheCount++}`)

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2
}
const ms = (value: number) => `${value.toFixed(0)} ms`
const mb = (bytes: number) => `${(bytes / 1024 ** 2).toFixed(0)} MB`

async function timed(run: () => Promise<unknown>): Promise<number> {
  const start = performance.now()
  await run()
  return performance.now() - start
}

// The whole command as a user runs it (built CLI, a new process, exit 1 on differences is normal).
const cli = new URL('../dist/src/cli/bin.js', import.meta.url).pathname
const compareCli = (cacheDir: string) =>
  execa('node', [cli, 'compare', '--json', ...pair], { reject: false, env: { IMGTEST_CACHE_DIR: cacheDir } })

/** The floor: the engine exports every layer and tar lists every entry, nothing else. */
const saveAndList = (images: string[]) =>
  timed(() => execa('sh', ['-c', `docker save ${images.join(' ')} | tar -t > /dev/null`]))

const indexAll = (snapshots: ImageSnapshot[], cacheDir: string) =>
  Promise.all(snapshots.map((snapshot) => readFileIndex(snapshot, DEFAULT_CAPTURE, { cacheDir })))

// One image after the other: the same work as one `docker save` of both, without the overlap.
async function indexInTurn(snapshots: ImageSnapshot[], cacheDir: string) {
  for (const snapshot of snapshots) await readFileIndex(snapshot, DEFAULT_CAPTURE, { cacheDir })
}

try {
  // (a) and (b): interleaved runs, medians compared.
  const snapshots = await Promise.all(pair.map((ref) => loadSnapshot(`docker-daemon:${ref}`)))
  await indexAll(snapshots, freshCache()) // loads dockerode and warms the JIT, untimed
  const floor: number[] = []
  const cold: number[] = []
  const coldInTurn: number[] = []
  const warm: number[] = []
  const compareCold: number[] = []
  const compareWarm: number[] = []
  let files = 0
  for (let run = 0; run < runs; run++) {
    floor.push(await saveAndList(pair))
    const cacheDir = freshCache()
    cold.push(
      await timed(
        async () => (files = (await indexAll(snapshots, cacheDir)).reduce((n, i) => n + i.entries.size, 0)),
      ),
    )
    for (let again = 0; again < 3; again++) warm.push(await timed(() => indexAll(snapshots, cacheDir)))
    const inTurnCache = freshCache()
    coldInTurn.push(await timed(() => indexInTurn(snapshots, inTurnCache)))
    const compareCache = freshCache()
    compareCold.push(await timed(() => compareCli(compareCache)))
    compareWarm.push(await timed(() => compareCli(compareCache)))
  }
  const bytes = snapshots.reduce((sum, snapshot) => sum + snapshot.size, 0)
  console.log(`images: ${pair.join(' + ')} (${mb(bytes)} of layers, ${files} files), ${runs} runs, medians`)
  console.log(`  docker save <both> | tar -t        ${ms(median(floor))}`)
  console.log(
    `  readFileIndex, cold (empty cache)  ${ms(median(cold))} (both at once, as compare reads a pair)`,
  )
  console.log(`  readFileIndex, cold, one by one    ${ms(median(coldInTurn))}`)
  console.log(`  readFileIndex, warm (cached)       ${ms(median(warm))}`)
  console.log(`ratio (a) cold / docker save | tar -t = ${(median(cold) / median(floor)).toFixed(2)}`)
  console.log(`ratio (a') cold one by one / floor    = ${(median(coldInTurn) / median(floor)).toFixed(2)}`)
  console.log(`ratio (b) warm / cold                 = ${(median(warm) / median(cold)).toFixed(3)}`)
  console.log(`  imgtest compare, cold (CLI)        ${ms(median(compareCold))}`)
  console.log(`  imgtest compare, warm (CLI)        ${ms(median(compareWarm))}`)
  console.log(`ratio (a2) compare cold / floor       = ${(median(compareCold) / median(floor)).toFixed(2)}`)
  console.log(
    `ratio (b2) compare warm / cold        = ${(median(compareWarm) / median(compareCold)).toFixed(3)}`,
  )

  // (c) peak RSS on a generated image of 110,000 files of 10,000 bytes (1.1 GB) in one layer.
  if (!args.includes('--skip-big')) await bigImage()
} finally {
  await rm(scratch, { recursive: true, force: true })
}

async function bigImage(): Promise<void> {
  const tag = uniqueTag('bench-big')
  const dockerfile = `FROM scratch
COPY busybox /bin/busybox
RUN ["/bin/busybox", "--install", "-s", "/bin"]
RUN awk 'BEGIN { s = sprintf("%10000s", ""); for (d = 0; d < 110; d++) { system("mkdir -p /data/" d); for (f = 0; f < 1000; f++) { p = "/data/" d "/" f; printf "%s", s > p; close(p) } } }'
`
  try {
    const built = await timed(() => buildTestImage(tag, dockerfile))
    const snapshot = await loadSnapshot(`docker-daemon:${tag}`)
    console.log(
      `generated image: ${mb(snapshot.size)}, ${snapshot.layers.length} layers (built in ${ms(built)})`,
    )
    const floor = await saveAndList([tag])
    // A child process per measurement, so its peak RSS is the indexing and nothing else.
    const child = async (ref: string) => {
      const script = `
        import { loadSnapshot } from ${JSON.stringify(new URL('../src/image/load.ts', import.meta.url).pathname)}
        import { readFileIndex } from ${JSON.stringify(new URL('../src/image/layers/read-file-index.ts', import.meta.url).pathname)}
        const snapshot = await loadSnapshot(${JSON.stringify(ref)})
        const start = performance.now()
        const index = await readFileIndex(snapshot, undefined, { cacheDir: ${JSON.stringify(freshCache())} })
        const elapsed = performance.now() - start
        console.log(JSON.stringify({ files: index.entries.size, elapsed, maxRss: process.resourceUsage().maxRSS * 1024 }))
      `
      const { stdout } = await execa('node', ['--input-type=module', '-e', script])
      return JSON.parse(stdout) as { files: number; elapsed: number; maxRss: number }
    }
    const baseline = await child(`docker-daemon:${fixtures.busyboxBase}`)
    const big = await child(`docker-daemon:${tag}`)
    console.log(`  docker save | tar -t               ${ms(floor)}`)
    console.log(`  readFileIndex, cold, child process ${ms(big.elapsed)} for ${big.files} files`)
    console.log(`  peak RSS indexing it               ${mb(big.maxRss)} (image: ${mb(snapshot.size)})`)
    console.log(
      `  peak RSS indexing busybox-base     ${mb(baseline.maxRss)} (${baseline.files} files: node + modules)`,
    )
    console.log(`ratio (c) peak RSS / image size = ${(big.maxRss / snapshot.size).toFixed(3)}`)
  } finally {
    await removeTestImages(tag)
  }
}
