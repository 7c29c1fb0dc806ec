/**
 * Keep-alive node:http(s) agents that honour HTTPS_PROXY / HTTP_PROXY / ALL_PROXY / NO_PROXY (either case;
 * lower case wins, as in curl), for the providers' node:http transports and the TKE SDK.
 *
 * - The tunnel is https-proxy-agent (CONNECT for http and https targets alike, Basic Proxy-Authorization from the
 *   proxy URL's user info, keep-alive pooling through agent-base); the per-target choice between the tunnel and a
 *   direct keep-alive agent is an agent-base Agent.
 * - Variable selection and NO_PROXY are read from the `env` the caller passes (tests and the clients' `env`
 *   option), not from process.env: proxy-from-env reads only process.env and matches a bare `example.com` only
 *   exactly, where curl (and this) also exempts its subdomains; hence the small matcher below.
 * - Without any proxy variable the agents are plain node:http(s) ones and the libraries are never loaded.
 * - Proxy credentials are never put in an error or a log: a refused CONNECT fails the request with ECONNREFUSED
 *   naming the proxy's host:port and status, socket errors name only the proxy's address, and https-proxy-agent
 *   (whose DEBUG log prints the URL it is given) gets the URL without user info, the credentials going only
 *   into the CONNECT request's Proxy-Authorization header.
 */
import * as Http from "node:http"
import * as Https from "node:https"

export type Env = Record<string, string | undefined>

export interface Agents {
  readonly http: Http.Agent
  /** Built the first time it is read, so that a run that only talks http never sets up an https agent. */
  readonly https: Https.Agent
  /** Destroys the agents built so far. */
  readonly destroy: () => void
}

type Protocol = "http:" | "https:"

const read = (env: Env, name: string): string | undefined => {
  const value = env[name.toLowerCase()] ?? env[name.toUpperCase()]
  return value?.trim() ? value.trim() : undefined
}

const defaultPort = (protocol: string) => (protocol === "https:" ? "443" : "80")

/** `[v6]`, or a name or IPv4 without a colon, each with an optional `:port`; anything else (bare IPv6) is taken whole. */
const noProxyEntry = /^(?:\[(?<v6>[^\]]+)\]|(?<name>[^:]+))(?::(?<port>\d+))?$/

/** NO_PROXY: `*`, names and IPs, domain suffixes (`.example.com`, `*.example.com` or `example.com`), each with an optional `:port`. */
export const bypassed = (host: string, port: string, noProxy: string | undefined): boolean => {
  if (noProxy === undefined) return false
  const hostname = host.toLowerCase().replace(/^\[|\]$/g, "")
  return noProxy
    .toLowerCase()
    .split(/[\s,]+/)
    .filter((entry) => entry !== "")
    .some((entry) => {
      if (entry === "*") return true
      const groups = noProxyEntry.exec(entry)?.groups
      const name = (groups?.v6 ?? groups?.name ?? entry).replace(/^\*?\./, "")
      if (groups?.port !== undefined && groups.port !== port) return false
      return hostname === name || hostname.endsWith(`.${name}`)
    })
}

/** The proxy the environment names for a protocol, before NO_PROXY; a value without a scheme means http. */
const proxyUrl = (protocol: string, env: Env): URL | undefined => {
  const raw =
    protocol === "https:"
      ? (read(env, "https_proxy") ?? read(env, "all_proxy"))
      : (read(env, "http_proxy") ?? read(env, "all_proxy"))
  if (raw === undefined) return undefined
  try {
    const url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`)
    return url.protocol === "http:" || url.protocol === "https:" ? url : undefined
  } catch {
    return undefined
  }
}

/** The proxy for a target, unless none is configured or NO_PROXY exempts it. */
export const proxyFor = (
  target: { readonly protocol: string; readonly hostname: string; readonly port: string },
  env: Env
): URL | undefined => {
  const proxy = proxyUrl(target.protocol, env)
  if (proxy === undefined) return undefined
  return bypassed(target.hostname, target.port || defaultPort(target.protocol), read(env, "no_proxy"))
    ? undefined
    : proxy
}

/** Whether any proxy variable is set at all (plain agents otherwise, and the libraries stay unloaded). */
export const configured = (env: Env): boolean =>
  read(env, "https_proxy") !== undefined ||
  read(env, "http_proxy") !== undefined ||
  read(env, "all_proxy") !== undefined

/** A refused tunnel as a refused connection (retried like one); `host` is the proxy's host:port, never its user info. */
const refused = (host: string, status: number) =>
  Object.assign(new Error(`the proxy ${host} refused the tunnel: HTTP ${status}`), { code: "ECONNREFUSED" })

/** Loaded only when a proxy variable is set, so that start-up without one never evaluates the libraries. */
const loadDispatcher = async () => {
  const [{ Agent }, { HttpsProxyAgent }] = await Promise.all([import("agent-base"), import("https-proxy-agent")])
  /** Hands each connection to the tunnel, or to the direct agent when NO_PROXY exempts the target. */
  return class Dispatcher extends Agent {
    readonly #tunnel: Http.Agent
    readonly #proxyHost: string
    constructor(
      protocol: Protocol,
      proxy: URL,
      readonly direct: Http.Agent,
      readonly noProxy: string | undefined
    ) {
      // keepAlive here too: node reads the request's agent, not the socket's, for `Connection: keep-alive`
      super({ keepAlive: true })
      this.protocol = protocol
      // the library gets the proxy URL without user info (its DEBUG log prints the URL it was given);
      // the Basic credentials travel only in the CONNECT request's header
      const bare = new URL(proxy.href)
      bare.username = ""
      bare.password = ""
      const authorization =
        proxy.username || proxy.password
          ? `Basic ${Buffer.from(`${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`).toString("base64")}`
          : undefined
      this.#tunnel = new HttpsProxyAgent(bare, {
        keepAlive: true,
        ...(authorization ? { headers: { "proxy-authorization": authorization } } : {})
      })
      this.#proxyHost = proxy.host
    }
    override connect(request: Http.ClientRequest, options: { host?: string | null | undefined; port?: number | null }) {
      const port = String(options.port ?? defaultPort(this.protocol))
      if (bypassed(options.host ?? "localhost", port, this.noProxy)) return this.direct
      // https-proxy-agent answers a refused CONNECT with a read-only socket replaying the proxy's response, on
      // which the request never finishes (@effect/platform waits for that): fail the request instead.
      request.once("proxyConnect", ({ statusCode }: { readonly statusCode: number }) => {
        if (statusCode !== 200) request.destroy(refused(this.#proxyHost, statusCode))
      })
      return this.#tunnel
    }
    override destroy() {
      this.#tunnel.destroy()
      this.direct.destroy()
      super.destroy()
    }
  }
}

/**
 * Keep-alive agents for http and https targets. When `env` names a proxy for a protocol, that protocol's agent
 * tunnels through it with CONNECT except for the targets NO_PROXY exempts. The https agent is built on first use
 * (the CLI's bundle loads node:https itself only then: docs/decisions.md, "Start-up"). Destroy them when done.
 */
export const make = async (env: Env): Promise<Agents> => {
  const Dispatcher = configured(env) ? await loadDispatcher() : undefined
  const noProxy = read(env, "no_proxy")
  const httpProxy = Dispatcher === undefined ? undefined : proxyUrl("http:", env)
  const httpsProxy = Dispatcher === undefined ? undefined : proxyUrl("https:", env)
  const direct = new Http.Agent({ keepAlive: true })
  const http =
    Dispatcher === undefined || httpProxy === undefined ? direct : new Dispatcher("http:", httpProxy, direct, noProxy)
  let https: Https.Agent | undefined
  return {
    http,
    get https(): Https.Agent {
      if (https === undefined) {
        const directHttps = new Https.Agent({ keepAlive: true })
        // an agent-base Agent is an http.Agent that node:https accepts (its `protocol` is https:)
        https =
          Dispatcher === undefined || httpsProxy === undefined
            ? directHttps
            : (new Dispatcher("https:", httpsProxy, directHttps, noProxy) as Http.Agent as Https.Agent)
      }
      return https
    },
    destroy: () => {
      http.destroy()
      https?.destroy()
    }
  }
}
