// imgtest's package set for an image next to what cdxgen reports for the same image, in one run.
// Run: node bench/sbom-cdxgen.bench.ts [image]   (default: the Debian fixture; build it with node fixtures/build.ts)
//
// cdxgen is not a dependency: it runs through npx at a pinned version in a temp dir (its own
// temp files go there too, through TMPDIR), and every file it leaves is removed afterwards.
// Why the two differ is explained in docs/sbom.md.
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { execa } from 'execa'
import { fixtures } from '../fixtures/images.ts'
import { checkSbom } from '../src/compare/sbom-checks.ts'
import type { Inventory } from '../src/image/inventory/package.ts'
import { readInventory } from '../src/image/inventory/read-inventory.ts'
import { readFileIndex } from '../src/image/layers/read-file-index.ts'
import { loadSnapshot } from '../src/image/load.ts'
import { readSbom } from '../src/report/sbom/read-sbom.ts'

const CDXGEN = '@cyclonedx/cdxgen@12.8.4'
const [image = fixtures.debianUpstream] = process.argv.slice(2)

// imgtest's side: the image's layers streamed into a file index, then the package databases read.
async function imgtestInventory(ref: string, cacheDir: string): Promise<Inventory> {
  return readInventory(await readFileIndex(await loadSnapshot(ref), undefined, { cacheDir }))
}

interface CdxComponent {
  type: string
  name: string
  version?: string
  purl?: string
  tags?: string[]
  components?: CdxComponent[]
}

function flatten(list: CdxComponent[] = []): CdxComponent[] {
  return list.flatMap((c) => [c, ...flatten(c.components)])
}

function count<T>(items: T[], by: (item: T) => string): string {
  const counts = new Map<string, number>()
  for (const item of items) counts.set(by(item), (counts.get(by(item)) ?? 0) + 1)
  return [...counts].map(([key, n]) => `${key} ${n}`).join(', ')
}

const work = await mkdtemp(join(tmpdir(), 'imgtest-cdxgen-'))
try {
  let started = performance.now()
  const inventory = await imgtestInventory(image, join(work, 'imgtest-cache'))
  const imgtestMs = performance.now() - started

  started = performance.now()
  const bomFile = join(work, 'bom.json')
  const run = await execa(
    'npx',
    ['--yes', CDXGEN, '-t', 'docker', '--spec-version', '1.6', '--no-install-deps', '-o', bomFile, image],
    { cwd: work, env: { TMPDIR: work, FETCH_LICENSE: 'false' }, reject: false, all: true },
  )
  const cdxgenMs = performance.now() - started
  if (run.exitCode !== 0) {
    console.error(run.all)
    throw new Error(`cdxgen exited ${run.exitCode}`)
  }
  const raw = JSON.parse(await readFile(bomFile, 'utf8')) as {
    specVersion: string
    components?: CdxComponent[]
  }
  const all = flatten(raw.components)
  const sbom = readSbom(raw, `cdxgen ${CDXGEN}`)
  const findings = checkSbom(sbom, inventory)

  console.log(`image: ${image}`)
  console.log(
    `imgtest: ${inventory.packages.length} packages (${count(inventory.packages, (p) => p.ecosystem)}) in ${imgtestMs.toFixed(0)} ms, layers read cold`,
  )
  console.log(
    `cdxgen ${CDXGEN}: ${all.length} components (${count(all, (c) => c.type)}) in ${(cdxgenMs / 1000).toFixed(1)} s, CycloneDX ${raw.specVersion}`,
  )
  console.log(`cdxgen's subject: ${sbom.subject?.name}@${sbom.subject?.version} ${sbom.subject?.purl ?? ''}`)
  const libraries = all.filter((c) => c.type === 'library')
  const sources = libraries.filter((c) => c.tags?.includes('source'))
  console.log(
    `cdxgen libraries: ${libraries.length} (${count(libraries, (c) => c.purl?.split('/')[0] ?? 'no purl')}), of which ${sources.length} tagged "source"`,
  )
  const others = all.filter((c) => c.type !== 'library')
  for (const type of new Set(others.map((c) => c.type))) {
    const examples = others.filter((c) => c.type === type)
    const names = examples.slice(0, 3).map((c) => c.purl ?? c.name)
    console.log(`  not packages, skipped by the check: ${type} ×${examples.length}, e.g. ${names.join(' ')}`)
  }
  console.log(
    `source packages cdxgen lists, matched to installed binaries: ${sources.map((c) => `${c.name}@${c.version}`).join(' ') || 'none'}`,
  )

  const section = (check: string, title: string) => {
    const rows = findings.filter((f) => f.check === check)
    console.log(`${title}: ${rows.length}`)
    for (const f of rows) console.log(`  ${f.message}`)
  }
  section('sbom.unlisted', 'only in imgtest (installed, not in cdxgen)')
  section('sbom.absent', 'only in cdxgen (listed, not installed per imgtest)')
  section('sbom.version', 'version differences')
} finally {
  await rm(work, { recursive: true, force: true })
}
