/**
 * An API endpoint override (a mock, a private gateway, a regional host), as both providers take it.
 */
import * as Effect from "effect/Effect"

const loopback = (hostname: string): boolean => {
  const host = hostname.replace(/^\[|\]$/g, "").toLowerCase()
  return host === "localhost" || host.endsWith(".localhost") || host === "::1" || /^127\.\d+\.\d+\.\d+$/.test(host)
}

/** Whether an API endpoint override sends requests in the clear to another machine. */
export const isPlainRemote = (endpoint: string): boolean => {
  try {
    const url = new URL(endpoint)
    return url.protocol === "http:" && !loopback(url.hostname)
  } catch {
    return false
  }
}

/**
 * A warning when an API endpoint override is plain `http://` to a host that is not this machine: the
 * signed requests (and the STS token, and the kubeconfig with its client key) would cross the network in the
 * clear. Loopback (a local mock, a tunnel) is quiet.
 */
export const warnPlainHttp = (provider: string, endpoint: string | undefined): Effect.Effect<void> =>
  endpoint !== undefined && isPlainRemote(endpoint.trim())
    ? Effect.logWarning(
        `${provider} API endpoint ${new URL(endpoint.trim()).origin} is plain http to another host: requests, tokens and kubeconfigs cross the network unencrypted`
      )
    : Effect.void
