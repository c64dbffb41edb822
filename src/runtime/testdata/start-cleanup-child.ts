import { execa, type ResultPromise } from 'execa'

// Test helpers around cleanup-child.ts: start it, find what its session created.
const child = new URL('./cleanup-child.ts', import.meta.url).pathname

export async function leftovers(label: string): Promise<{ containers: string[]; networks: string[] }> {
  const lines = (out: string) => out.split('\n').filter(Boolean)
  const [containers, networks] = await Promise.all([
    execa('docker', ['ps', '-aq', '--filter', `label=${label}`]),
    execa('docker', ['network', 'ls', '-q', '--filter', `label=${label}`]),
  ])
  return { containers: lines(containers.stdout), networks: lines(networks.stdout) }
}

/** Starts the child and resolves once it has a network and two containers, one of them still starting. */
export async function startChild(): Promise<{
  run: ResultPromise<{ reject: false }>
  label: string
  dir: string
}> {
  const run = execa(process.execPath, [child], { reject: false })
  let output = ''
  const { label, dir } = await new Promise<{ label: string; dir: string }>((resolve, reject) => {
    run.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString()
      const first = output.split('\n')[0]
      if (output.includes('started\n') && first) resolve(JSON.parse(first))
    })
    void run.then((result) => reject(new Error(`child ended early: ${result.stdout}\n${result.stderr}`)))
  })
  // The in-flight container exists once the engine has created it.
  for (;;) {
    const now = await leftovers(label)
    if (now.containers.length === 2 && now.networks.length === 1) break
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  return { run, label, dir }
}
