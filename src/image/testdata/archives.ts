import { createHash } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pipeline } from 'node:stream/promises'
import { execa } from 'execa'
import tar from 'tar-stream'

/** A temp directory for one test file's archives, removed by the returned function. */
export async function tempDir(): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'imgtest-archive-'))
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) }
}

/** Writes a tar from in-memory entries (strings, buffers, or a symlink), for hand-made broken archives. */
export async function writeTar(
  file: string,
  entries: { name: string; content?: string | Buffer; linkname?: string }[],
): Promise<void> {
  const pack = tar.pack()
  const done = pipeline(pack, createWriteStream(file))
  for (const entry of entries) {
    if (entry.linkname !== undefined) {
      pack.entry({ name: entry.name, type: 'symlink', linkname: entry.linkname })
    } else {
      pack.entry({ name: entry.name }, entry.content ?? '')
    }
  }
  pack.finalize()
  await done
}

export async function dockerSave(file: string, ...tags: string[]): Promise<void> {
  await execa('docker', ['save', '-o', file, ...tags])
}

export async function skopeoCopy(...args: string[]): Promise<void> {
  await execa('skopeo', ['copy', '-q', ...args])
}

/** Cuts a file to a fraction of its size, as an interrupted download or a full disk would. */
export async function truncateCopy(from: string, to: string, fraction = 0.5): Promise<void> {
  const bytes = await readFile(from)
  await writeFile(to, bytes.subarray(0, Math.floor(bytes.length * fraction)))
}

const sha256 = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex')

/**
 * A stand-in for what `docker save` writes on Docker 25+, which this engine (20.10) cannot write:
 * an OCI layout (oci-layout, index.json with containerd's name annotation, OCI manifest, the original
 * config blob, uncompressed layers named by diff id) plus the legacy manifest.json pointing into blobs/.
 * Built from `skopeo copy --preserve-digests` (which keeps config and uncompressed layers) with the
 * manifest rewritten in OCI media types. Returns the OCI manifest's digest.
 */
export async function writeDocker25Archive(tag: string, file: string, familiarTag: string): Promise<string> {
  const { dir, remove } = await tempDir()
  try {
    await skopeoCopy('--preserve-digests', `docker-daemon:${tag}`, `oci:${dir}:x`)
    const index = JSON.parse(await readFile(join(dir, 'index.json'), 'utf8'))
    const dockerManifestDigest: string = index.manifests[0].digest
    const blob = (digest: string) => join(dir, 'blobs', 'sha256', digest.replace('sha256:', ''))
    const docker = JSON.parse(await readFile(blob(dockerManifestDigest), 'utf8'))
    const manifest = JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { ...docker.config, mediaType: 'application/vnd.oci.image.config.v1+json' },
      layers: docker.layers.map((layer: { digest: string; size: number }) => ({
        mediaType: 'application/vnd.oci.image.layer.v1.tar',
        digest: layer.digest,
        size: layer.size,
      })),
    })
    const manifestDigest = `sha256:${sha256(manifest)}`
    await writeFile(blob(manifestDigest), manifest)
    await rm(blob(dockerManifestDigest))
    const [name, reference] = [
      familiarTag.slice(0, familiarTag.lastIndexOf(':')),
      familiarTag.split(':').at(-1),
    ]
    await writeFile(
      join(dir, 'index.json'),
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.index.v1+json',
        manifests: [
          {
            mediaType: 'application/vnd.oci.image.manifest.v1+json',
            digest: manifestDigest,
            size: Buffer.byteLength(manifest),
            annotations: {
              'io.containerd.image.name': `docker.io/${name}:${reference}`,
              'org.opencontainers.image.ref.name': reference,
            },
          },
        ],
      }),
    )
    await writeFile(
      join(dir, 'manifest.json'),
      JSON.stringify([
        {
          Config: `blobs/sha256/${docker.config.digest.replace('sha256:', '')}`,
          RepoTags: [familiarTag],
          Layers: docker.layers.map(
            (layer: { digest: string }) => `blobs/sha256/${layer.digest.replace('sha256:', '')}`,
          ),
        },
      ]),
    )
    await execa('tar', ['-C', dir, '-cf', file, 'blobs', 'index.json', 'manifest.json', 'oci-layout'])
    return manifestDigest
  } finally {
    await remove()
  }
}
