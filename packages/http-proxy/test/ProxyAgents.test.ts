import { execFileSync } from "node:child_process"
import { mkdtempSync, readFileSync, rmSync } from "node:fs"
import * as Http from "node:http"
import * as Https from "node:https"
import * as Net from "node:net"
import type { AddressInfo } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest"
import { type Agents, bypassed, configured, make, proxyFor } from "../src/ProxyAgents.js"

const listen = async <S extends Net.Server>(server: S): Promise<S & { port: number }> => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  return Object.assign(server, { port: (server.address() as AddressInfo).port })
}

const closing: Array<() => void> = []
afterEach(() => {
  for (const close of closing.splice(0)) close()
})

/** A CONNECT proxy on 127.0.0.1 recording the tunnels it opens and the Proxy-Authorization each carried. */
const connectProxy = async (answer: (req: Http.IncomingMessage) => number = () => 200) => {
  const tunnels: Array<string> = []
  const auth: Array<string | undefined> = []
  const sockets = new Set<Net.Socket>()
  const server = Http.createServer((_, res) => res.writeHead(405).end())
  server.on("connect", (req: Http.IncomingMessage, client: Net.Socket, head: Buffer) => {
    sockets.add(client)
    tunnels.push(req.url ?? "")
    auth.push(req.headers["proxy-authorization"])
    const status = answer(req)
    if (status !== 200) {
      client.end(`HTTP/1.1 ${status} No\r\nProxy-Authenticate: Basic realm="x"\r\nContent-Length: 0\r\n\r\n`)
      return
    }
    const [host, port] = (req.url ?? "").split(":")
    const upstream = Net.connect(Number(port), host!, () => {
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n")
      upstream.write(head)
      upstream.pipe(client)
      client.pipe(upstream)
    })
    sockets.add(upstream)
    upstream.on("error", () => client.destroy())
    client.on("error", () => upstream.destroy())
  })
  const listening = await listen(server)
  closing.push(() => {
    for (const socket of sockets) socket.destroy()
    server.close()
  })
  return { url: `http://127.0.0.1:${listening.port}`, port: listening.port, tunnels, auth }
}

/** A target that counts the TCP connections it accepted. */
const target = async (server: Http.Server | Https.Server = Http.createServer()) => {
  let connections = 0
  server.on("request", (_req, res) => res.end("ok"))
  server.on(server instanceof Https.Server ? "secureConnection" : "connection", () => connections++)
  const listening = await listen(server)
  closing.push(() => {
    listening.closeAllConnections()
    listening.close()
  })
  return { port: listening.port, connections: () => connections }
}

const get = (url: string, agents: Agents, options: Https.RequestOptions = {}) =>
  new Promise<{ status: number; body: string }>((resolve, reject) => {
    const secure = url.startsWith("https:")
    const request = (secure ? Https : Http).get(
      url,
      { ...options, agent: secure ? agents.https : agents.http },
      (res) => {
        let body = ""
        res.on("data", (chunk) => {
          body += chunk
        })
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }))
      }
    )
    request.on("error", reject)
  })

const using = async (env: Record<string, string>) => {
  const agents = await make(env)
  closing.push(() => {
    agents.destroy()
  })
  return agents
}

describe("the environment", () => {
  it("NO_PROXY: names, suffixes, ports, *", () => {
    expect(bypassed("tke.tencentcloudapi.com", "443", ".tencentcloudapi.com")).toBe(true)
    expect(bypassed("tke.tencentcloudapi.com", "443", "tencentcloudapi.com")).toBe(true)
    expect(bypassed("tke.tencentcloudapi.com", "443", "*.tencentcloudapi.com")).toBe(true)
    expect(bypassed("tke.tencentcloudapi.com", "443", "cloudapi.com")).toBe(false)
    expect(bypassed("evilaliyuncs.com", "443", "aliyuncs.com")).toBe(false)
    expect(bypassed("CS.cn-hangzhou.aliyuncs.com", "443", "ALIYUNCS.com")).toBe(true)
    expect(bypassed("127.0.0.1", "8080", "127.0.0.1:9090")).toBe(false)
    expect(bypassed("127.0.0.1", "8080", "localhost, 127.0.0.1:8080")).toBe(true)
    expect(bypassed("::1", "443", "[::1]:443")).toBe(true)
    expect(bypassed("[::1]", "443", "::1")).toBe(true)
    expect(bypassed("::1", "80", "[::1]:443")).toBe(false)
    expect(bypassed("anything", "1", "localhost,*")).toBe(true)
    expect(bypassed("x", "1", undefined)).toBe(false)
  })

  it("HTTPS_PROXY for https targets, HTTP_PROXY for http ones, ALL_PROXY for either, lower case first", () => {
    const t = (url: string) => {
      const u = new URL(url)
      return { protocol: u.protocol, hostname: u.hostname, port: u.port }
    }
    const env = { HTTPS_PROXY: "http://upper:1", https_proxy: "lower:2", HTTP_PROXY: "http://plain:3" }
    expect(proxyFor(t("https://tke.tencentcloudapi.com"), env)?.host).toBe("lower:2")
    expect(proxyFor(t("https://tke.tencentcloudapi.com"), env)?.protocol).toBe("http:")
    expect(proxyFor(t("http://127.0.0.1:8080"), env)?.host).toBe("plain:3")
    expect(proxyFor(t("http://127.0.0.1:8080"), { ...env, NO_PROXY: "127.0.0.1" })).toBeUndefined()
    expect(proxyFor(t("https://x"), { ALL_PROXY: "http://all:4" })?.host).toBe("all:4")
    // a set lower-case variable wins even when blank: it turns the upper-case one off
    expect(proxyFor(t("https://x"), { https_proxy: " ", HTTPS_PROXY: "http://upper:1" })).toBeUndefined()
    expect(proxyFor(t("https://x"), { HTTPS_PROXY: "socks5://s:5" })).toBeUndefined()
    expect(proxyFor(t("https://x"), {})).toBeUndefined()
  })

  it("without a proxy variable the agents are node's own (the libraries are not loaded)", async () => {
    expect(configured({ NO_PROXY: "*", HTTPS_PROXY: "" })).toBe(false)
    const agents = await using({ NO_PROXY: "*" })
    expect(Object.getPrototypeOf(agents.http)).toBe(Http.Agent.prototype)
    expect(Object.getPrototypeOf(agents.https)).toBe(Https.Agent.prototype)
    const keepAlive = (agent: Http.Agent) => (agent as Http.Agent & { keepAlive: boolean }).keepAlive
    expect(keepAlive(agents.http) && keepAlive(agents.https)).toBe(true)
  })
})

describe("through a CONNECT proxy on 127.0.0.1", () => {
  it("tunnels http targets with Basic auth from the URL and keeps the tunnel alive", async () => {
    const proxy = await connectProxy()
    const server = await target()
    const agents = await using({ HTTP_PROXY: `http://kube:p%40ss@127.0.0.1:${proxy.port}` })
    const url = `http://127.0.0.1:${server.port}/`
    expect(await get(url, agents)).toEqual({ status: 200, body: "ok" })
    expect(await get(url, agents)).toEqual({ status: 200, body: "ok" })
    expect(proxy.tunnels).toEqual([`127.0.0.1:${server.port}`])
    expect(proxy.auth).toEqual([`Basic ${Buffer.from("kube:p@ss").toString("base64")}`])
    expect(server.connections()).toBe(1)
  })

  it("goes around the proxy, still with keep-alive, for what NO_PROXY names (port included)", async () => {
    const proxy = await connectProxy()
    const server = await target()
    const url = `http://127.0.0.1:${server.port}/`
    const exempt = await using({ http_proxy: proxy.url, no_proxy: `localhost,127.0.0.1:${server.port}` })
    expect((await get(url, exempt)).status).toBe(200)
    expect((await get(url, exempt)).status).toBe(200)
    expect(proxy.tunnels).toEqual([])
    expect(server.connections()).toBe(1)
    const otherPort = await using({ http_proxy: proxy.url, no_proxy: `127.0.0.1:${server.port + 1}` })
    expect((await get(url, otherPort)).status).toBe(200)
    expect(proxy.tunnels).toEqual([`127.0.0.1:${server.port}`])
  })

  describe("https targets", () => {
    let dir = ""
    let tls: { key: Buffer; cert: Buffer } | undefined
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), "http-proxy-test-"))
      try {
        const subject = ["-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost"]
        const files = ["-keyout", "key.pem", "-out", "cert.pem"]
        execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", ...subject, ...files], {
          cwd: dir,
          stdio: "ignore"
        })
        tls = { key: readFileSync(join(dir, "key.pem")), cert: readFileSync(join(dir, "cert.pem")) }
      } catch {
        tls = undefined
      }
    })
    afterAll(() => rmSync(dir, { recursive: true, force: true }))

    it("tunnels with HTTPS_PROXY and verifies the target's certificate (SNI from the target name)", async (context) => {
      if (tls === undefined) return context.skip()
      const proxy = await connectProxy()
      const server = await target(Https.createServer(tls))
      const agents = await using({ HTTPS_PROXY: proxy.url, HTTP_PROXY: "http://127.0.0.1:1" })
      const url = `https://localhost:${server.port}/`
      expect(await get(url, agents, { ca: tls.cert })).toEqual({ status: 200, body: "ok" })
      expect(await get(url, agents, { ca: tls.cert })).toEqual({ status: 200, body: "ok" })
      expect(proxy.tunnels).toEqual([`localhost:${server.port}`])
      expect(server.connections()).toBe(1)
      await expect(get(url, agents)).rejects.toThrow(/self[- ]signed/)
    })
  })

  describe("proxy credentials never reach an error", () => {
    const secret = (text: string) => /p@ss|p%40ss|kube:/.test(text)
    const describeError = (error: unknown) =>
      [String(error), (error as Error).stack, JSON.stringify(error, Object.getOwnPropertyNames(error))].join("\n")

    it("when the proxy cannot be reached", async () => {
      const server = await target()
      const closed = await listen(Net.createServer())
      await new Promise((resolve) => closed.close(resolve))
      const agents = await using({ HTTP_PROXY: `http://kube:p%40ss@127.0.0.1:${closed.port}` })
      const error = await get(`http://127.0.0.1:${server.port}/`, agents).then(
        () => expect.unreachable(),
        (e: unknown) => e
      )
      expect((error as NodeJS.ErrnoException).code).toBe("ECONNREFUSED")
      expect(secret(describeError(error))).toBe(false)
    })

    it("when the proxy refuses the tunnel (407)", async () => {
      const proxy = await connectProxy(() => 407)
      const server = await target()
      const agents = await using({ HTTP_PROXY: `http://kube:p%40ss@127.0.0.1:${proxy.port}` })
      const error = await get(`http://127.0.0.1:${server.port}/`, agents).then(
        () => expect.unreachable(),
        (e: unknown) => e
      )
      expect(error).toMatchObject({
        code: "ECONNREFUSED",
        message: `the proxy 127.0.0.1:${proxy.port} refused the tunnel: HTTP 407`
      })
      expect(secret(describeError(error))).toBe(false)
      expect(proxy.auth).toEqual([`Basic ${Buffer.from("kube:p@ss").toString("base64")}`])
      expect(server.connections()).toBe(0)
    })
  })
})
