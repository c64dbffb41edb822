import { ImgtestError } from '../errors.ts'

/**
 * The error codes of a registry's JSON error body (`MANIFEST_UNKNOWN: manifest unknown`), or '' when
 * the body is not one. Consumes the body.
 *
 * @example
 * if (response.status === 404) console.log(await registryErrorCodes(response))
 */
export async function registryErrorCodes(response: Response): Promise<string> {
  const text = await response.text().catch(() => '')
  try {
    const body = JSON.parse(text) as { errors?: { code?: string; message?: string }[] }
    return (body.errors ?? [])
      .map((error) => [error.code, error.message].filter(Boolean).join(': '))
      .join(', ')
  } catch {
    return ''
  }
}

/**
 * IMGTEST_REGISTRY_UNREACHABLE for a failed fetch: names the URL and the system's reason (ECONNREFUSED,
 * ENOTFOUND, a TLS error), and hints at `insecure` when a plain-http registry was spoken to over TLS.
 *
 * @example
 * try { await fetch(url) } catch (error) { throw registryUnreachable(url, error) }
 */
export function registryUnreachable(url: string, error: unknown): ImgtestError {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause
  const reason = cause?.code ?? cause?.message ?? (error as Error).message
  const hint = /SSL|TLS|CERT|EPROTO/i.test(String(reason))
    ? 'if the registry serves plain http, mark it insecure'
    : 'check the host and port, and that the registry is running'
  return new ImgtestError(
    'IMGTEST_REGISTRY_UNREACHABLE',
    `registry unreachable at ${url} (${reason}); ${hint}`,
    {
      cause: error,
    },
  )
}
