import { spawnSync } from 'node:child_process'
import { rmSync } from 'node:fs'
import type { EngineConnection } from './engine.ts'

// Runs in a child node process: plain Engine API calls, no dependency to load. Removes the given
// containers and every container of the session (one created while the signal came is not tracked
// yet), then the networks, retrying while their containers finish going.
const SCRIPT = `
const http = require('node:http')
// It may outlive the process that started it (a test runner SIGKILLs its workers); a second Ctrl-C
// to the process group must not stop it halfway, and it gives up on its own.
process.on('SIGINT', () => {})
process.on('SIGTERM', () => {})
setTimeout(() => process.exit(), 20000).unref()
const { conn, session, containers, networks, dirs } = JSON.parse(process.argv[1])
for (const dir of dirs) require('node:fs').rmSync(dir, { recursive: true, force: true })
const call = (method, path) => new Promise((resolve) => {
  const req = http.request({ ...conn, method, path }, (res) => {
    let body = ''
    res.on('data', (c) => (body += c))
    res.on('end', () => resolve({ status: res.statusCode, body }))
  })
  req.on('error', () => resolve({ status: 0, body: '' }))
  req.end()
})
const filter = encodeURIComponent(JSON.stringify({ label: ['dev.imgtest.session=' + session] }))
const list = async (path) => {
  const res = await call('GET', path + '?all=1&filters=' + filter)
  try { return JSON.parse(res.body).map((item) => item.Id) } catch { return [] }
}
;(async () => {
  const ids = new Set([...containers, ...(await list('/containers/json'))])
  await Promise.all([...ids].map((id) => call('DELETE', '/containers/' + id + '?force=true&v=true')))
  const nets = new Set([...networks, ...(await list('/networks'))])
  for (let attempt = 0; attempt < 30 && nets.size > 0; attempt++) {
    for (const id of [...nets]) {
      const { status } = await call('DELETE', '/networks/' + id)
      if (status === 204 || status === 404) nets.delete(id)
    }
    if (nets.size > 0) await new Promise((r) => setTimeout(r, 100))
  }
})()
`

/**
 * Removes a session's containers, networks and temp dirs synchronously (a child process does the
 * Engine API calls, and outlives a worker its test runner SIGKILLs), for places where async work cannot finish: signal handlers and `exit`. Engines behind
 * TLS are left to the docker CLI.
 *
 * @example
 * removeSessionSync(engineConnection(), sessionId, ['3f2a…'], [])
 */
export function removeSessionSync(
  connection: EngineConnection | undefined,
  session: string,
  containers: string[],
  networks: string[],
  dirs: string[] = [],
): void {
  if (connection === undefined && containers.length === 0 && networks.length === 0) {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
    return
  }
  if (connection === undefined || connection.protocol === 'https') {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
    if (containers.length > 0)
      spawnSync('docker', ['rm', '--force', '--volumes', ...containers], { stdio: 'ignore' })
    if (networks.length > 0) spawnSync('docker', ['network', 'rm', ...networks], { stdio: 'ignore' })
    return
  }
  const conn = connection.socketPath
    ? { socketPath: connection.socketPath }
    : { host: connection.host, port: connection.port }
  spawnSync(process.execPath, ['-e', SCRIPT, JSON.stringify({ conn, session, containers, networks, dirs })], {
    stdio: 'ignore',
    timeout: 30_000,
  })
}
