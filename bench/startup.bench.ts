// How much imgtest's create→ready measurement adds over the plainest way to time a start, and how
// well it recovers a known delay. Run: node bench/startup.bench.ts [runs per side, default 10]
//
// 1. Overhead: perf-fast started by startContainer (HTTP ready) against `docker run -d` plus a
//    curl probe loop in one shell, timed by the shell, runs interleaved ABBA. Printed: imgtest's
//    reported readyAfterMs, the wall time of the startContainer call, the shell's time, and ratios.
// 2. Accuracy: measureStartup of perf-fast vs perf-slow-start (which sleeps 1.5 s first); the
//    difference of medians minus the injected 1.5 s, for imgtest and for the shell loop.
import { execa } from 'execa'
import { perfFixtures, perfInjected } from '../fixtures/images.ts'
import { startContainer } from '../src/runtime/start-container.ts'
import { measureStartup } from '../src/runtime/startup-parity.ts'
import { interleaveOrder, median, medianAbsoluteDeviation } from '../src/runtime/timing-stats.ts'

const runs = Number(process.argv[2] ?? 10)
const ready = { port: 8080, http: { path: '/' } }
const labels = { 'dev.imgtest': '1' }

// The baseline a person would write: start detached, then poll the published port until httpd answers.
const shellProbe = `
start=$(date +%s%N)
id=$(docker run -d --label dev.imgtest=1 -p 127.0.0.1::8080 "$1")
port=$(docker port "$id" 8080/tcp | head -n1 | cut -d: -f2)
until curl -fso /dev/null "http://127.0.0.1:$port/"; do sleep 0.005; done
end=$(date +%s%N)
docker rm -f "$id" >/dev/null
echo $(( (end - start) / 1000 ))`

async function shellStart(image: string): Promise<number> {
  const { stdout } = await execa('bash', ['-c', shellProbe, 'probe', image])
  return Number(stdout.trim()) / 1000
}

async function imgtestStart(image: string): Promise<{ reported: number; wall: number }> {
  const started = performance.now()
  const container = await startContainer(image, { ready, labels })
  const wall = performance.now() - started
  await container.stop({ signal: 'SIGKILL', timeoutMs: 0 })
  return { reported: container.readyAfterMs, wall }
}

const fmt = (values: number[]) =>
  `median ${median(values).toFixed(0).padStart(5)} ms  ±${medianAbsoluteDeviation(values).toFixed(0)} ms (MAD, ${values.length} runs)`

// Warm the engine's caches and the modules once, on both paths.
await imgtestStart(perfFixtures.fast)
await shellStart(perfFixtures.fast)

const reported: number[] = []
const wall: number[] = []
const shell: number[] = []
for (const side of interleaveOrder(2 * runs)) {
  if (side === 'upstream') {
    const run = await imgtestStart(perfFixtures.fast)
    reported.push(run.reported)
    wall.push(run.wall)
  } else shell.push(await shellStart(perfFixtures.fast))
}
console.log(`image: ${perfFixtures.fast}, HTTP ready on 8080`)
console.log(`imgtest readyAfterMs (reported)         ${fmt(reported)}`)
console.log(`imgtest startContainer() wall time      ${fmt(wall)}`)
console.log(`docker run -d + curl loop (shell timed) ${fmt(shell)}`)
console.log(`overhead ratio: reported / shell = ${(median(reported) / median(shell)).toFixed(2)}`)
console.log(`overhead ratio: wall / shell     = ${(median(wall) / median(shell)).toFixed(2)}`)

const delay = await measureStartup(
  { upstream: perfFixtures.fast, rebuilt: perfFixtures.slowStart },
  { ready, runs, container: { labels } },
)
const shellDelay: Record<'fast' | 'slow', number[]> = { fast: [], slow: [] }
for (const side of interleaveOrder(2 * runs)) {
  const image = side === 'upstream' ? perfFixtures.fast : perfFixtures.slowStart
  shellDelay[side === 'upstream' ? 'fast' : 'slow'].push(await shellStart(image))
}
const injected = perfInjected.startDelayMs
const shellMeasured = median(shellDelay.slow) - median(shellDelay.fast)
console.log(`\nknown delay: ${perfFixtures.slowStart} sleeps ${injected} ms before listening`)
console.log(
  `imgtest: medians ${delay.rebuilt.median.toFixed(0)} - ${delay.upstream.median.toFixed(0)} = ${delay.differenceMs.toFixed(0)} ms; ` +
    `measured - injected = ${(delay.differenceMs - injected).toFixed(0)} ms (${delay.upstream.runs} runs a side, verdict ${delay.verdict})`,
)
console.log(
  `shell:   medians ${median(shellDelay.slow).toFixed(0)} - ${median(shellDelay.fast).toFixed(0)} = ${shellMeasured.toFixed(0)} ms; ` +
    `measured - injected = ${(shellMeasured - injected).toFixed(0)} ms`,
)
