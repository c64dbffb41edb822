import { createHash } from 'node:crypto'
import { mkdirSync, readdirSync, rmdirSync, rmSync, writeFileSync } from 'node:fs'
import { basename, dirname, extname, join, resolve } from 'node:path'
import type { SuiteArtifact } from '../suite/suite-artifact.ts'

/**
 * The suite logs of one JUnit report, as files next to it: `<dir>/<report name>-logs/<test>-<hash>-<side>.log`
 * (the test's name made filesystem-safe, a hash of its id and the artifact's position so no two
 * tests or suite calls share a file, then `upstream` or `rebuilt`). A new report clears the `.log`
 * files of the previous one first, so no stale log is ever referenced.
 */
export class SuiteLogFiles {
  readonly directory: string

  constructor(reportFile: string) {
    const file = resolve(reportFile)
    this.directory = join(dirname(file), `${basename(file, extname(file))}-logs`)
  }

  /** Removes the `.log` files a previous report wrote (nothing else: the folder may hold the user's files). */
  clear(): void {
    let names: string[]
    try {
      names = readdirSync(this.directory)
    } catch {
      return
    }
    for (const name of names.filter((n) => n.endsWith('.log')))
      rmSync(join(this.directory, name), { force: true })
    try {
      rmdirSync(this.directory)
    } catch {
      // Not empty: it holds something imgtest did not write.
    }
  }

  /**
   * Writes each log the artifact carries and returns the absolute paths, in its attachments' order.
   * `testId` is vitest's id of the test, unique in a run; `index` tells two suite calls of one test apart.
   */
  write(testId: string, testName: string, index: number, artifact: SuiteArtifact): string[] {
    const attachments = artifact.attachments ?? []
    if (attachments.length === 0) return []
    mkdirSync(this.directory, { recursive: true })
    const hash = createHash('sha256').update(`${testId}\0${index}`).digest('hex').slice(0, 10)
    const stem = `${safeName(testName)}-${hash}`
    return attachments.flatMap((attachment, n) => {
      if (attachment.body === undefined) return []
      const side = artifact.logs[n] ?? `log${n + 1}`
      const path = join(this.directory, `${stem}-${side}.log`)
      const body = attachment.body
      writeFileSync(
        path,
        typeof body !== 'string'
          ? body
          : attachment.bodyEncoding === 'utf-8'
            ? body
            : Buffer.from(body, 'base64'),
      )
      return [path]
    })
  }
}

// Letters, digits, dot, dash and underscore only, short enough for any filesystem once the hash and side are added.
function safeName(name: string): string {
  const safe = name
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[.-]+|-+$/g, '')
    .slice(0, 80)
  return safe === '' ? 'test' : safe
}
