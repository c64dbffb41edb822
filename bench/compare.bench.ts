// How long `imgtest compare --config-only` (interface + size) takes over `docker image inspect` of the same two
// images, measured in the same run. Run: npm run bench [-- upstream rebuilt]
//
// Two levels: whole commands (node + imgtest's CLI vs the docker CLI, both new processes) and
// in-process (compareImages with a cold snapshot cache vs two raw Engine API inspects).
import Docker from 'dockerode'
import { execa } from 'execa'
import { Bench, type Task } from 'tinybench'
import { compareImages } from '../src/compare/compare-images.ts'
import { clearSnapshotCache } from '../src/image/load.ts'

const [upstream = 'imgtest-fixture/debian-upstream:12', rebuilt = 'imgtest-fixture/debian-rebuilt:12'] =
  process.argv.slice(2)
const bin = new URL('../dist/src/cli/bin.js', import.meta.url).pathname
const docker = new Docker()

const bench = new Bench({ time: 3000, iterations: 20, warmupIterations: 3 })
bench
  .add('cli: imgtest compare', async () => {
    // exit 1 (differences) is a normal outcome here
    await execa('node', [bin, 'compare', '--json', '--config-only', upstream, rebuilt], { reject: false })
  })
  .add('cli: docker image inspect', async () => {
    await execa('docker', ['image', 'inspect', upstream, rebuilt])
  })
  .add('api: compareImages (cold cache)', async () => {
    clearSnapshotCache()
    await compareImages(upstream, rebuilt, { configOnly: true })
  })
  .add('api: two Engine API inspects', async () => {
    await Promise.all([docker.getImage(upstream).inspect(), docker.getImage(rebuilt).inspect()])
  })

await bench.run()

function median(task: Task | undefined): number {
  const result = task?.result
  if (!result || !('latency' in result)) throw new Error(`${task?.name ?? 'a task'} did not complete`)
  return result.latency.p50
}

const [cli, inspectCli, api, inspectApi] = bench.tasks.map(median)
console.log(`images: ${upstream} vs ${rebuilt}`)
for (const task of bench.tasks) console.log(`${task.name.padEnd(34)} median ${median(task).toFixed(1)} ms`)
console.log(
  `ratio (cli): imgtest compare / docker image inspect = ${((cli ?? 0) / (inspectCli ?? 1)).toFixed(2)}`,
)
console.log(
  `ratio (api): compareImages / two inspects            = ${((api ?? 0) / (inspectApi ?? 1)).toFixed(2)}`,
)
