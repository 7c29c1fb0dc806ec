import { describe, expect, it, layer } from "@effect/vitest"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import type { AlibabaFetchRequest } from "@kubecred/core/FetchRequest"
import { createServer, connect, type Server, type Socket } from "node:net"
import type { AddressInfo } from "node:net"
import { make } from "../../src/AckClient.js"
import { bypassed, proxyFor } from "../../src/internal/proxy.js"
import { MockCloudServer, mockLayer, runningCluster, withPolicies } from "../fixtures.js"

/** A CONNECT-only proxy on 127.0.0.1 that counts tunnels and the Proxy-Authorization it saw. */
const connectProxy = Effect.acquireRelease(
  Effect.async<{ server: Server; tunnels: Array<string>; auth: Array<string | undefined>; sockets: Set<Socket> }>(
    (resume) => {
      const tunnels: Array<string> = []
      const auth: Array<string | undefined> = []
      const sockets = new Set<Socket>()
      const server = createServer((client) => {
        sockets.add(client)
        client.once("data", (head) => {
          const text = head.toString("latin1")
          const m = /^CONNECT ([^ ]+) HTTP\/1\.1\r\n/.exec(text)
          if (!m) return client.destroy()
          tunnels.push(m[1]!)
          auth.push(/\r\nproxy-authorization: ([^\r]+)/i.exec(text)?.[1])
          const [host, port] = m[1]!.split(":")
          const upstream = connect(Number(port), host!, () => {
            client.write("HTTP/1.1 200 Connection Established\r\n\r\n")
            upstream.pipe(client)
            client.pipe(upstream)
          })
          sockets.add(upstream)
          upstream.on("error", () => client.destroy())
          client.on("error", () => upstream.destroy())
        })
      })
      server.listen(0, "127.0.0.1", () => resume(Effect.succeed({ server, tunnels, auth, sockets })))
    }
  ),
  ({ server, sockets }) =>
    Effect.async<void>((resume) => {
      for (const s of sockets) s.destroy()
      server.close(() => resume(Effect.void))
    })
)

describe("proxy environment", () => {
  const t = (url: string) => {
    const u = new URL(url)
    return { protocol: u.protocol, hostname: u.hostname, port: u.port }
  }
  it("NO_PROXY: names, suffixes, ports, *", () => {
    expect(bypassed("cs.cn-hangzhou.aliyuncs.com", "443", "aliyuncs.com")).toBe(true)
    expect(bypassed("cs.cn-hangzhou.aliyuncs.com", "443", ".aliyuncs.com")).toBe(true)
    expect(bypassed("evilaliyuncs.com", "443", "aliyuncs.com")).toBe(false)
    expect(bypassed("127.0.0.1", "8080", "localhost, 127.0.0.1:9090")).toBe(false)
    expect(bypassed("127.0.0.1", "9090", "localhost, 127.0.0.1:9090")).toBe(true)
    expect(bypassed("anything", "1", "*")).toBe(true)
    expect(bypassed("x", "1", undefined)).toBe(false)
  })
  it("HTTPS_PROXY for https, HTTP_PROXY for http, lower case first", () => {
    const env = { HTTPS_PROXY: "http://upper:1", https_proxy: "lower:2", HTTP_PROXY: "http://plain:3" }
    expect(proxyFor(t("https://cs.cn-hangzhou.aliyuncs.com"), env)?.host).toBe("lower:2")
    expect(proxyFor(t("http://127.0.0.1:8080"), env)?.host).toBe("plain:3")
    expect(proxyFor(t("http://127.0.0.1:8080"), { ...env, NO_PROXY: "127.0.0.1" })).toBeUndefined()
    expect(proxyFor(t("https://x"), {})).toBeUndefined()
  })
})

const request = (clusterId: string) =>
  ({ _tag: "alibaba", region: "cn-hangzhou", clusterId, endpoint: "public" }) as AlibabaFetchRequest

layer(mockLayer(), { excludeTestServices: true, timeout: Duration.seconds(60) })(
  "http transport through a proxy",
  (it) => {
    it.scoped("tunnels through HTTP_PROXY (with Basic auth from the URL) unless NO_PROXY exempts the host", () =>
      withPolicies(
        Effect.gen(function* () {
          const mock = yield* MockCloudServer
          const proxy = yield* connectProxy
          const port = (proxy.server.address() as AddressInfo).port
          const id = yield* runningCluster()
          const credentials = {
            accessKeyId: mock.alibaba.accessKeyId,
            accessKeySecret: Redacted.make(mock.alibaba.accessKeySecret)
          }
          const target = new URL(mock.alibaba.endpoint).host
          const viaProxy = yield* make({
            endpoint: mock.alibaba.endpoint,
            credentials,
            env: { HTTP_PROXY: `http://kube:p%40ss@127.0.0.1:${port}` }
          })
          expect((yield* viaProxy.fetch(request(id))).attempts).toBe(1)
          expect(proxy.tunnels).toEqual([target])
          expect(proxy.auth).toEqual([`Basic ${Buffer.from("kube:p@ss").toString("base64")}`])
          const exempt = yield* make({
            endpoint: mock.alibaba.endpoint,
            credentials,
            env: { HTTP_PROXY: `http://127.0.0.1:${port}`, NO_PROXY: "localhost,127.0.0.1" }
          })
          expect((yield* exempt.fetch(request(id))).attempts).toBe(1)
          expect(proxy.tunnels).toEqual([target])
        })
      )
    )
  }
)
