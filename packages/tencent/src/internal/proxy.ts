/**
 * HTTPS_PROXY / HTTP_PROXY / ALL_PROXY / NO_PROXY (either case; lower case wins, as in curl) for both
 * transports: keep-alive node:http(s) agents whose connections go through a CONNECT tunnel when the
 * environment says so, and directly otherwise. Both transports always get one of these agents, so the SDK's
 * own unconditional `http_proxy` handling (contracts.md §1.3) never applies. Proxy credentials in the URL go
 * out as Basic Proxy-Authorization and are never put in an error.
 */
import * as Http from "node:http"
import * as Https from "node:https"
import type * as Net from "node:net"
import * as Tls from "node:tls"

export type Env = Record<string, string | undefined>

const read = (env: Env, name: string): string | undefined => {
  const value = env[name.toLowerCase()] ?? env[name.toUpperCase()]
  return value?.trim() ? value.trim() : undefined
}

const defaultPort = (protocol: string) => (protocol === "https:" ? "443" : "80")

/** NO_PROXY: `*`, names and IPs, domain suffixes (`.example.com` or `example.com`), each with an optional `:port`. */
export const bypassed = (host: string, port: string, noProxy: string | undefined): boolean => {
  if (noProxy === undefined) return false
  const hostname = host.toLowerCase().replace(/^\[|\]$/g, "")
  return noProxy
    .split(/[\s,]+/)
    .filter((entry) => entry !== "")
    .some((entry) => {
      if (entry === "*") return true
      const match = /^\[?([^\]]*?)\]?(?::(\d+))?$/.exec(entry.toLowerCase())
      if (!match) return false
      const name = match[1]!.replace(/^\*?\./, "")
      if (match[2] !== undefined && match[2] !== port) return false
      return hostname === name || hostname.endsWith(`.${name}`)
    })
}

/** The proxy for a target, unless none is configured or NO_PROXY exempts it. */
export const proxyFor = (
  target: { readonly protocol: string; readonly hostname: string; readonly port: string },
  env: Env
): URL | undefined => {
  const raw =
    target.protocol === "https:"
      ? (read(env, "https_proxy") ?? read(env, "all_proxy"))
      : (read(env, "http_proxy") ?? read(env, "all_proxy"))
  if (raw === undefined) return undefined
  if (bypassed(target.hostname, target.port || defaultPort(target.protocol), read(env, "no_proxy"))) return undefined
  try {
    const url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`)
    return url.protocol === "http:" || url.protocol === "https:" ? url : undefined
  } catch {
    return undefined
  }
}

type Done = (error: Error | null, socket?: Net.Socket) => void

const tunnel = (proxy: URL, host: string, port: string, done: Done) => {
  const authority = host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`
  const headers: Record<string, string> = { host: authority }
  if (proxy.username !== "") {
    const credentials = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`
    headers["proxy-authorization"] = `Basic ${Buffer.from(credentials).toString("base64")}`
  }
  const request = (proxy.protocol === "https:" ? Https : Http).request({
    host: proxy.hostname,
    port: proxy.port || defaultPort(proxy.protocol),
    method: "CONNECT",
    path: authority,
    headers,
    agent: false
  })
  request.once("connect", (response, socket) => {
    if (response.statusCode === 200) return done(null, socket)
    socket.destroy()
    done(
      Object.assign(new Error(`the proxy ${proxy.host} refused the tunnel: HTTP ${response.statusCode}`), {
        code: "ECONNREFUSED"
      })
    )
  })
  request.once("error", (error) => done(error))
  request.end()
}

interface ConnectOptions {
  readonly host?: string | null | undefined
  readonly hostname?: string | null | undefined
  readonly port?: number | string | null | undefined
  readonly servername?: string | undefined
}

type CreateConnection = (options: ConnectOptions, callback: Done) => Net.Socket | undefined

const withProxy = <A extends Http.Agent>(agent: A, env: Env, protocol: "http:" | "https:"): A => {
  const self = agent as unknown as { createConnection: CreateConnection }
  const direct = self.createConnection.bind(agent)
  self.createConnection = (options, callback) => {
    const target = {
      protocol,
      hostname: options.hostname ?? options.host ?? "localhost",
      port: String(options.port ?? defaultPort(protocol))
    }
    const proxy = proxyFor(target, env)
    if (proxy === undefined) return direct(options, callback)
    tunnel(proxy, target.hostname, target.port, (error, socket) => {
      if (error || socket === undefined) return callback(error ?? new Error("no tunnel"))
      if (protocol === "http:") return callback(null, socket)
      callback(
        null,
        Tls.connect({
          ...(options as Tls.ConnectionOptions),
          socket,
          servername: options.servername ?? target.hostname
        })
      )
    })
    return undefined
  }
  return agent
}

const configured = (env: Env) =>
  read(env, "https_proxy") !== undefined ||
  read(env, "http_proxy") !== undefined ||
  read(env, "all_proxy") !== undefined

/** Keep-alive agents that honour the proxy variables of `env`. */
export const makeAgents = (env: Env): { readonly http: Http.Agent; readonly https: Https.Agent } => {
  const http = new Http.Agent({ keepAlive: true })
  const https = new Https.Agent({ keepAlive: true })
  return configured(env)
    ? { http: withProxy(http, env, "http:"), https: withProxy(https, env, "https:") }
    : { http, https }
}
