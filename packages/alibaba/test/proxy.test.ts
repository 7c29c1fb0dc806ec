import { expect, layer } from "@effect/vitest"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import type { AlibabaFetchRequest } from "@kubecred/core/FetchRequest"
import { createServer, connect, type Server, type Socket } from "node:net"
import type { AddressInfo } from "node:net"
import { scoped } from "../src/AckClient.js"
import { MockCloudServer, mockLayer, runningCluster, withPolicies } from "./fixtures.js"

/** A CONNECT-only proxy on 127.0.0.1 that counts tunnels and the Proxy-Authorization it saw (and answers `status`). */
const connectProxy = (status = 200) =>
  Effect.acquireRelease(
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
            if (status !== 200) return client.end(`HTTP/1.1 ${status} No\r\nContent-Length: 0\r\n\r\n`)
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

const request = (clusterId: string) =>
  ({ _tag: "alibaba", region: "cn-hangzhou", clusterId, endpoint: "public" }) as AlibabaFetchRequest

// both transports: the sdk one routes the SDK's requests through the same agents (it takes no agent itself)
for (const transport of ["http", "sdk"] as const) {
  layer(mockLayer(), { excludeTestServices: true, timeout: Duration.seconds(60) })(
    `${transport} transport through a proxy`,
    (it) => {
      it.scoped("tunnels through HTTP_PROXY (with Basic auth from the URL) unless NO_PROXY exempts the host", () =>
        withPolicies(
          Effect.gen(function* () {
            const mock = yield* MockCloudServer
            const proxy = yield* connectProxy()
            const port = (proxy.server.address() as AddressInfo).port
            const id = yield* runningCluster()
            const credentials = {
              accessKeyId: mock.alibaba.accessKeyId,
              accessKeySecret: Redacted.make(mock.alibaba.accessKeySecret)
            }
            const target = new URL(mock.alibaba.endpoint).host
            const viaProxy = yield* scoped({
              endpoint: mock.alibaba.endpoint,
              transport,
              credentials,
              env: { HTTP_PROXY: `http://kube:p%40ss@127.0.0.1:${port}` }
            })
            expect((yield* viaProxy.fetch(request(id))).attempts).toBe(1)
            expect(proxy.tunnels).toEqual([target])
            expect(proxy.auth).toEqual([`Basic ${Buffer.from("kube:p@ss").toString("base64")}`])
            const exempt = yield* scoped({
              endpoint: mock.alibaba.endpoint,
              transport,
              credentials,
              env: { HTTP_PROXY: `http://127.0.0.1:${port}`, NO_PROXY: "localhost,127.0.0.1" }
            })
            expect((yield* exempt.fetch(request(id))).attempts).toBe(1)
            expect(proxy.tunnels).toEqual([target])
          })
        )
      )
      it.scoped("a proxy refusing the tunnel (407) fails the call without the proxy credentials in the error", () =>
        withPolicies(
          Effect.gen(function* () {
            const mock = yield* MockCloudServer
            const proxy = yield* connectProxy(407)
            const port = (proxy.server.address() as AddressInfo).port
            const id = yield* runningCluster()
            const client = yield* scoped({
              endpoint: mock.alibaba.endpoint,
              transport,
              credentials: {
                accessKeyId: mock.alibaba.accessKeyId,
                accessKeySecret: Redacted.make(mock.alibaba.accessKeySecret)
              },
              env: { HTTP_PROXY: `http://kube:p%40ss@127.0.0.1:${port}` }
            })
            const error = yield* Effect.flip(client.fetch(request(id)))
            expect(proxy.tunnels.length).toBeGreaterThan(0)
            const shown = `${String(error)}\n${JSON.stringify(error)}\n${(error as { stack?: string }).stack ?? ""}`
            expect(shown).toContain("407")
            expect(shown).not.toMatch(/p@ss|p%40ss|kube:/)
          })
        )
      )
    }
  )
}
