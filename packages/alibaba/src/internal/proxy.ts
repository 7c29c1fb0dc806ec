/**
 * HTTPS_PROXY / HTTP_PROXY / NO_PROXY for the http transport (either case, lower case winning as curl does):
 * node:http agents that open a CONNECT tunnel through the proxy for every target the environment says to
 * proxy, and connect directly otherwise. Tunnels are used for http targets too (the API is https in practice;
 * http endpoints are mocks and private gateways). Proxy credentials in the URL are sent as Basic
 * Proxy-Authorization and never appear in errors.
 */
import * as Http from "node:http"
import * as Https from "node:https"
import type * as Net from "node:net"
import * as Tls from "node:tls"

export type Env = Record<string, string | undefined>

const read = (env: Env, name: string): string | undefined => {
  const value = env[name.toLowerCase()] ?? env[name.toUpperCase()]
  return value === undefined || value.trim() === "" ? undefined : value.trim()
}

const defaultPort = (protocol: string) => (protocol === "https:" ? "443" : "80")

/** Whether NO_PROXY exempts this host and port: `*`, exact names or IPs, domain suffixes (`.example.com`, `example.com`), optional `:port`. */
export const bypassed = (host: string, port: string, noProxy: string | undefined): boolean => {
  if (noProxy === undefined) return false
  const hostname = host.toLowerCase().replace(/^\[|\]$/g, "")
  return noProxy
    .split(/[\s,]+/)
    .filter((entry) => entry !== "")
    .some((raw) => {
      if (raw === "*") return true
      const match = /^(.*?)(?::(\d+))?$/.exec(raw.toLowerCase().replace(/^\[|\]$/g, ""))!
      const name = match[1]!.replace(/^\*?\./, "")
      if (match[2] !== undefined && match[2] !== port) return false
      return hostname === name || hostname.endsWith(`.${name}`)
    })
}

/** The proxy for a target URL, if the environment names one and NO_PROXY does not exempt the target. */
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

/** Whether any proxy variable is set at all (no agents are made otherwise). */
export const configured = (env: Env): boolean =>
  read(env, "https_proxy") !== undefined ||
  read(env, "http_proxy") !== undefined ||
  read(env, "all_proxy") !== undefined

type Callback = (error: Error | null, socket?: Net.Socket) => void

/** Opens `CONNECT host:port` through the proxy and hands back the tunnelled socket. */
const tunnel = (proxy: URL, host: string, port: string, done: (error: Error | null, socket?: Net.Socket) => void) => {
  const headers: Record<string, string> = { host: `${host}:${port}` }
  if (proxy.username !== "") {
    const user = decodeURIComponent(proxy.username)
    const pass = decodeURIComponent(proxy.password)
    headers["proxy-authorization"] = `Basic ${Buffer.from(`${user}:${pass}`).toString("base64")}`
  }
  const request = (proxy.protocol === "https:" ? Https : Http).request({
    host: proxy.hostname,
    port: proxy.port || defaultPort(proxy.protocol),
    method: "CONNECT",
    path: `${host}:${port}`,
    headers,
    agent: false
  })
  request.once("connect", (response, socket) => {
    if (response.statusCode === 200) return done(null, socket)
    socket.destroy()
    const error = Object.assign(
      new Error(`proxy ${proxy.hostname}:${proxy.port} refused the tunnel: HTTP ${response.statusCode}`),
      {
        code: "ECONNREFUSED"
      }
    )
    done(error)
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

const targetOf = (options: ConnectOptions, protocol: string) => ({
  protocol,
  hostname: options.hostname ?? options.host ?? "localhost",
  port: String(options.port ?? defaultPort(protocol))
})

type CreateConnection = (options: ConnectOptions, callback: Callback) => Net.Socket | undefined

/** Replaces an agent's createConnection: a tunnel when the target is proxied, the agent's own otherwise. */
const proxied = <A extends Http.Agent>(agent: A, env: Env, protocol: "http:" | "https:"): A => {
  const self = agent as unknown as { createConnection: CreateConnection }
  const direct = self.createConnection.bind(agent)
  self.createConnection = (options, callback) => {
    const target = targetOf(options, protocol)
    const proxy = proxyFor(target, env)
    if (proxy === undefined) return direct(options, callback)
    tunnel(proxy, target.hostname, target.port, (error, socket) => {
      if (error || socket === undefined) return callback(error ?? new Error("no tunnel"))
      if (protocol === "http:") return callback(null, socket)
      const secure = Tls.connect({
        ...(options as Tls.ConnectionOptions),
        socket,
        servername: options.servername ?? target.hostname
      })
      callback(null, secure)
    })
    return undefined
  }
  return agent
}

/** Keep-alive agents; when `env` names a proxy, agents that honour it. */
export const makeAgents = (env: Env): { readonly http: Http.Agent; readonly https: Https.Agent } =>
  configured(env)
    ? {
        http: proxied(new Http.Agent({ keepAlive: true }), env, "http:"),
        https: proxied(new Https.Agent({ keepAlive: true }), env, "https:")
      }
    : { http: new Http.Agent({ keepAlive: true }), https: new Https.Agent({ keepAlive: true }) }
