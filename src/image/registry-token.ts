import { ImgtestError } from '../errors.ts'
import type { DockerCredentials } from './docker-credentials.ts'
import type { AuthChallenge } from './registry-challenge.ts'
import { registryUnreachable } from './registry-errors.ts'

/** `Basic base64(user:password)`. */
export function basicAuthorization(credentials: DockerCredentials): string {
  return `Basic ${Buffer.from(`${credentials.username ?? ''}:${credentials.password ?? ''}`).toString('base64')}`
}

/**
 * Gets a token from a Bearer challenge's realm (Docker's token auth spec): an identity token is
 * exchanged by OAuth2 POST, user and password go as Basic auth on a GET, no credentials ask for an
 * anonymous token. A 401/403 comes back as `denied` for the caller to explain; never throws secrets.
 *
 * @example
 * const answer = await fetchBearerToken(challenge, 'repository:app:pull', { username: 'u', password: 'p' })
 * if ('token' in answer) headers.authorization = `Bearer ${answer.token}`
 */
export async function fetchBearerToken(
  challenge: AuthChallenge,
  fallbackScope: string,
  credentials: DockerCredentials | undefined,
): Promise<{ token: string } | { denied: number; origin: string }> {
  const realm = challenge.params.realm ?? ''
  const scope = challenge.params.scope ?? fallbackScope
  const service = challenge.params.service ?? ''
  let url: URL
  try {
    url = new URL(realm)
  } catch (error) {
    throw new ImgtestError(
      'IMGTEST_REGISTRY_ERROR',
      `registry sent a Bearer challenge with a bad realm "${realm}"`,
      {
        cause: error,
      },
    )
  }
  let response: Response
  try {
    if (credentials?.identityToken) {
      // An identity token is an OAuth2 refresh token: exchange it by POST, as the Docker CLI does.
      const form = new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: credentials.identityToken,
      })
      form.set('service', service)
      form.set('scope', scope)
      form.set('client_id', 'imgtest')
      response = await fetch(url, { method: 'POST', body: form })
    } else {
      if (service) url.searchParams.set('service', service)
      url.searchParams.set('scope', scope)
      const headers: Record<string, string> =
        credentials?.username !== undefined ? { authorization: basicAuthorization(credentials) } : {}
      response = await fetch(url, { headers })
    }
  } catch (error) {
    throw registryUnreachable(realm, error)
  }
  if (response.status === 401 || response.status === 403) {
    await response.body?.cancel()
    return { denied: response.status, origin: url.origin }
  }
  if (!response.ok) {
    await response.body?.cancel()
    throw new ImgtestError('IMGTEST_REGISTRY_ERROR', `token server ${realm} answered ${response.status}`)
  }
  const body = (await response.json().catch(() => ({}))) as { token?: string; access_token?: string }
  const token = body.token ?? body.access_token
  if (!token)
    throw new ImgtestError('IMGTEST_REGISTRY_ERROR', `token server ${realm} answered without a token`)
  return { token }
}
