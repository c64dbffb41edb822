import type { CaptureSpec } from '../../file-index.ts'
import { compileCapture } from '../capture-matcher.ts'
import type { LayerIndex } from '../layer-index.ts'
import { LayerSink } from '../layer-sink.ts'
import { type CraftEntry, packLayer } from './layouts.ts'

/** A capture spec for tests: /etc/* content up to 64 bytes, sha256 of everything under /bin. */
export const TEST_CAPTURE: CaptureSpec = { content: ['/etc/*'], maxContentBytes: 64, hash: ['/bin/**'] }

/** Indexes a hand-made layer in memory, through the same sink every source uses. */
export async function indexEntries(
  entries: CraftEntry[],
  capture: CaptureSpec = TEST_CAPTURE,
): Promise<LayerIndex> {
  const sink = new LayerSink(compileCapture(capture))
  await sink.write(await packLayer(entries))
  return sink.end()
}
