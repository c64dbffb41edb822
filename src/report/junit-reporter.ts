import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { stripVTControlCharacters } from 'node:util'
import type { Builder, TestSuite as JUnitSuite, TestCase as JUnitTestCase } from 'junit-report-builder'
import junitReportBuilder from 'junit-report-builder'
import type { SerializedError } from 'vitest'
import type { Reporter, TestCase, TestModule, TestSuite } from 'vitest/node'
import type { Finding } from '../compare/finding.ts'
import { formatBytes } from '../compare/format-bytes.ts'
import { isRegression } from '../suite/compare-outcomes.ts'
import { isSuiteArtifact, type SuiteArtifact } from '../suite/suite-artifact.ts'
import { isParityArtifact, type ParityArtifact } from './parity-artifact.ts'
import { isRuntimeMeasurement, type RuntimeMeasurementArtifact } from './runtime-measurement.ts'
import { SuiteLogFiles } from './suite-log-files.ts'

// The package's types describe an ES default export; Node hands over module.exports, the builder itself.
const junit = junitReportBuilder as unknown as Builder

export interface JUnitReporterOptions {
  /** Where to write the XML; directories are created. */
  outputFile: string
  /**
   * Where each testcase's properties (image refs, digests, sizes, finding counts) go:
   * `system-out` (default) as `[[PROPERTY|name=value]]` lines, which every JUnit XSD accepts and
   * Jenkins/Polarion-style tools read; `element` as a `<properties>` element inside `<testcase>`,
   * which GitLab, Xray and pytest's xunit1 use but the common JUnit XSDs reject.
   */
  testcaseProperties?: 'system-out' | 'element'
}

/**
 * Writes a JUnit XML file: one testsuite per test file, one testcase per test, failure text from
 * the findings table, and the images compared as testcase properties. Each upstream suite's case
 * is a testcase of its own, and each suite run's log a file in `<report name>-logs/` next to the
 * report, referenced from the testcases as Jenkins' junit-attachments plugin reads them.
 */
export class JUnitReporter implements Reporter {
  readonly #options: JUnitReporterOptions

  constructor(options: JUnitReporterOptions) {
    this.#options = options
  }

  onTestRunEnd(
    testModules: ReadonlyArray<TestModule>,
    unhandledErrors: ReadonlyArray<SerializedError>,
  ): void {
    const builder = junit.newBuilder()
    const logFiles = new SuiteLogFiles(this.#options.outputFile)
    logFiles.clear()
    for (const module of testModules) {
      const suite = builder
        .testSuite()
        .name(module.relativeModuleId)
        .time(seconds(module.diagnostic().duration))
      for (const test of module.children.allTests()) {
        const testCase = suite
          .testCase()
          .className(classNameOf(module, test))
          .name(test.name)
          .time(seconds(test.diagnostic()?.duration ?? 0))
        const result = test.result()
        if (result.state === 'skipped' || result.state === 'pending') testCase.skipped()
        const artifacts = test.artifacts().filter(isParityArtifact)
        if (result.state === 'failed') {
          const text = result.errors.map((error) => plain(error.message ?? String(error))).join('\n\n')
          testCase.failure(failureSummary(artifacts) ?? firstLine(text), 'ParityFailure').stacktrace(text)
        }
        const properties = [
          ...propertiesOf(artifacts),
          ...test.artifacts().filter(isRuntimeMeasurement).map(measurementProperty),
        ]
        const suiteArtifacts = test.artifacts().filter(isSuiteArtifact)
        const logs = suiteArtifacts.map((artifact, index) =>
          logFiles.write(test.id, `${module.relativeModuleId} ${test.fullName}`, index, artifact),
        )
        this.#systemOut(testCase, properties, logs.flat())
        suiteArtifacts.forEach((artifact, index) => {
          this.#suiteCases(
            suite,
            `${classNameOf(module, test)} › ${test.name} › ${artifact.suite}`,
            artifact,
            result.state === 'failed',
            logs[index] ?? [],
            artifacts.flatMap((a) => a.findings),
          )
        })
      }
      for (const error of module.errors()) {
        // A file that failed to load (syntax error, bad import) still shows on the dashboard.
        suite
          .testCase()
          .className(module.relativeModuleId)
          .name('(file)')
          .error(firstLine(plain(error.message)), error.name ?? 'Error', plain(error.stack ?? error.message))
      }
    }
    if (unhandledErrors.length) {
      const suite = builder.testSuite().name('unhandled errors')
      for (const error of unhandledErrors) {
        suite
          .testCase()
          .name(firstLine(plain(error.message)))
          .error(firstLine(plain(error.message)), error.name ?? 'Error', plain(error.stack ?? error.message))
      }
    }
    const file = resolve(this.#options.outputFile)
    mkdirSync(dirname(file), { recursive: true })
    writeFileSync(file, withoutRootSkipped(builder.build()))
  }
  // Every case of an upstream suite as its own testcase, with both outcomes, so a dashboard shows
  // exactly which case regressed. A case fails here only when it regressed and its test failed
  // (a regression the policy allowed leaves the test, and so the case, passing).
  #suiteCases(
    suite: JUnitSuite,
    className: string,
    artifact: SuiteArtifact,
    testFailed: boolean,
    logs: readonly string[],
    findings: readonly Finding[],
  ): void {
    for (const c of artifact.cases) {
      const testCase = suite.testCase().className(className).name(c.name)
      if (testFailed && isRegression(c)) {
        testCase.failure(
          `${c.name}: ${c.upstream ?? 'not run'} upstream, ${c.rebuilt ?? 'not run'} in rebuilt`,
          'SuiteRegression',
        )
      } else if (c.rebuilt === 'skip' || c.rebuilt === undefined) testCase.skipped()
      const outcomes: [string, string][] = [
        ['upstream.outcome', c.upstream ?? 'not run'],
        ['rebuilt.outcome', c.rebuilt ?? 'not run'],
      ]
      // A regression a policy allowed (a known failure, say) shows why.
      const allowed = findings.find(
        (f) => f.allowed && f.reason && f.key === c.name && f.suite === artifact.suite,
      )
      if (allowed?.reason) outcomes.push(['allowed.reason', allowed.reason])
      this.#systemOut(testCase, outcomes, logs)
    }
  }

  // Properties as `[[PROPERTY|…]]` lines (or a <properties> element) and log files as
  // `[[ATTACHMENT|<absolute path>]]` lines: junit-attachments reads those from <system-out> only.
  #systemOut(
    testCase: JUnitTestCase,
    properties: readonly [string, string][],
    logs: readonly string[],
  ): void {
    const lines = logs.map((path) => `[[ATTACHMENT|${path}]]`)
    if (this.#options.testcaseProperties === 'element') {
      for (const [name, value] of properties) testCase.property(name, value)
    } else {
      lines.unshift(...properties.map(([name, value]) => `[[PROPERTY|${name}=${value}]]`))
    }
    if (lines.length) testCase.standardOutput(lines.join('\n'))
  }
}

// junit-report-builder counts skipped tests on <testsuites> too, an attribute the common JUnit XSDs
// (Jenkins' junit-4, the xunit plugin's junit-10) do not declare there; each <testsuite> keeps its count.
function withoutRootSkipped(xml: string): string {
  return xml.replace(/<testsuites\b[^>]*>/, (root) => root.replace(/ skipped="\d+"/, ''))
}

function classNameOf(module: TestModule, test: TestCase): string {
  const names: string[] = []
  for (let parent: TestSuite | TestModule = test.parent; parent.type === 'suite'; parent = parent.parent) {
    names.unshift(parent.name)
  }
  return [module.relativeModuleId, ...names].join(' › ')
}

/** Properties of a testcase: each image once, then one verdict line per matcher. */
export function propertiesOf(artifacts: readonly ParityArtifact[]): [string, string][] {
  const properties = new Map<string, string>()
  for (const artifact of artifacts) {
    for (const [role, image] of Object.entries(artifact.images)) {
      properties.set(`${role}.ref`, image.ref)
      properties.set(`${role}.digest`, image.digest)
      properties.set(`${role}.size`, `${image.size} (${formatBytes(image.size)}, ${image.sizeBasis})`)
    }
    const allowed = artifact.findings.filter((finding) => finding.allowed).length
    properties.set(
      `${artifact.matcher}.findings`,
      `${artifact.verdict}: ${artifact.findings.length} findings, ${allowed} allowed by policy`,
    )
  }
  return [...properties]
}

// The one line a dashboard shows: which pair failed and on which checks.
function failureSummary(artifacts: readonly ParityArtifact[]): string | undefined {
  const failed = artifacts.filter((artifact) => artifact.verdict === 'fail')
  if (!failed.length) return undefined
  return failed
    .map((artifact) => {
      const checks = [...new Set(artifact.findings.filter((f) => !f.allowed).map((f) => f.check))]
      return `${artifact.subject}: ${checks.join(', ')} ${artifact.images.image ? 'failed' : 'differ'}`
    })
    .join('; ')
}

// Milliseconds to seconds with the millisecond precision JUnit consumers display.
function seconds(milliseconds: number): number {
  return Math.round(milliseconds) / 1000
}

// A runtime matcher's figures (medians, means, p99), pass or fail, as one compact property.
function measurementProperty(artifact: RuntimeMeasurementArtifact): [string, string] {
  const json = JSON.stringify(artifact.result)
  return [
    `${artifact.matcher}.${artifact.measurement}`,
    json.length > 2000 ? `${json.slice(0, 1999)}…` : json,
  ]
}

function plain(text: string): string {
  return stripVTControlCharacters(text)
}

function firstLine(text: string): string {
  return text.split('\n').find((line) => line.trim() !== '') ?? text
}
