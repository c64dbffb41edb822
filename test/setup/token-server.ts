import { createPrivateKey, randomUUID, sign } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface TokenServerOptions {
  user: string
  password: string
  /** A refresh token the server accepts (`identitytoken` in Docker's config). */
  identityToken?: string
  /** PEM key and DER certificate (the registry trusts the certificate through `rootcertbundle`). */
  keyPem: string
  certDer: Buffer
  issuer: string
}

export interface TokenServer {
  realm: string
  close(): Promise<void>
}

/**
 * A Docker token server (distribution's token auth spec) on 127.0.0.1 for tests: Basic credentials,
 * or a refresh token by POST, earn a JWT granting whatever scope is asked; no credentials earn a token
 * with no access (as Docker Hub does); wrong ones earn 401.
 *
 * @example
 * const server = await startTokenServer({ user: 'u', password: 'p', keyPem, certDer, issuer: 'imgtest-token' })
 */
export async function startTokenServer(options: TokenServerOptions): Promise<TokenServer> {
  const key = createPrivateKey(options.keyPem)
  const server = createServer((request, response) => {
    handle(request, response).catch(() => reply(response, 500, { errors: [{ code: 'INTERNAL' }] }))
  })

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1')
    const params = url.searchParams
    if (request.method === 'POST') {
      let body = ''
      for await (const chunk of request) body += String(chunk)
      for (const [name, value] of new URLSearchParams(body)) params.append(name, value)
    }
    let subject: string | undefined
    const basic = /^Basic (.+)$/.exec(request.headers.authorization ?? '')
    const grant = params.get('grant_type')
    if (basic) {
      subject =
        Buffer.from(basic[1] ?? '', 'base64').toString('utf8') === `${options.user}:${options.password}`
          ? options.user
          : undefined
      if (!subject)
        return reply(response, 401, { errors: [{ code: 'UNAUTHORIZED', message: 'bad credentials' }] })
    } else if (grant === 'refresh_token' || grant === 'password') {
      const ok =
        grant === 'refresh_token'
          ? options.identityToken !== undefined && params.get('refresh_token') === options.identityToken
          : params.get('username') === options.user && params.get('password') === options.password
      if (!ok) return reply(response, 401, { errors: [{ code: 'UNAUTHORIZED', message: 'bad credentials' }] })
      subject = options.user
    }
    const access = subject ? params.getAll('scope').flatMap(parseScope) : []
    const token = signToken(key, options, { sub: subject ?? '', aud: params.get('service') ?? '', access })
    reply(response, 200, { token, access_token: token, expires_in: 300 })
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    realm: `http://127.0.0.1:${port}/token`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}

// `repository:team/app:pull,push` → one access entry; several scopes may share a parameter.
function parseScope(scope: string): { type: string; name: string; actions: string[] }[] {
  return scope
    .split(' ')
    .filter(Boolean)
    .map((item) => {
      const parts = item.split(':')
      const actions = (parts.pop() ?? '').split(',')
      const type = parts.shift() ?? ''
      return { type, name: parts.join(':'), actions }
    })
}

function signToken(
  key: ReturnType<typeof createPrivateKey>,
  options: TokenServerOptions,
  claims: { sub: string; aud: string; access: unknown[] },
): string {
  const now = Math.floor(Date.now() / 1000)
  // The registry checks x5c against its rootcertbundle, then the signature with that certificate's key.
  const header = { typ: 'JWT', alg: 'RS256', x5c: [options.certDer.toString('base64')] }
  const payload = {
    iss: options.issuer,
    iat: now,
    nbf: now - 60,
    exp: now + 600,
    jti: randomUUID(),
    ...claims,
  }
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')
  const signingInput = `${encode(header)}.${encode(payload)}`
  return `${signingInput}.${sign('sha256', Buffer.from(signingInput), key).toString('base64url')}`
}

function reply(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' })
  response.end(JSON.stringify(body))
}
