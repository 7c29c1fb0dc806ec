import { expect, layer } from "@effect/vitest"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { layer as mockLayer } from "@kubecred/mock-cloud"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Http from "node:http"
import * as Net from "node:net"
import type { AddressInfo } from "node:net"
import * as TkeClient from "../src/TkeClient.js"
import { MockCloudServer, credentialsOf, transports } from "./support/mock.js"

/** A CONNECT proxy on 127.0.0.1 that records the targets it tunnels to. */
const connectProxy = Effect.acquireRelease(
  Effect.async<{ readonly url: string; readonly targets: Array<string>; readonly server: Http.Server }>((resume) => {
    const targets: Array<string> = []
    const server = Http.createServer((_, res) => res.writeHead(405).end())
    server.on("connect", (req: Http.IncomingMessage, client: Net.Socket, head: Buffer) => {
      targets.push(req.url ?? "")
      const [host, port] = (req.url ?? "").split(":")
      const upstream = Net.connect(Number(port), host!, () => {
        client.write("HTTP/1.1 200 Connection Established\r\n\r\n")
        upstream.write(head)
        upstream.pipe(client)
        client.pipe(upstream)
      })
      upstream.on("error", () => client.destroy())
      client.on("error", () => upstream.destroy())
    })
    server.listen(0, "127.0.0.1", () => {
      resume(Effect.succeed({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, targets, server }))
    })
  }),
  ({ server }) =>
    Effect.async<void>((resume) => {
      server.closeAllConnections()
      server.close(() => resume(Effect.void))
    })
)

for (const transport of transports) {
  layer(mockLayer({ tencentRateLimit: 10_000 }), { excludeTestServices: true })(`proxy over ${transport}`, (it) => {
    it.effect("goes through HTTP_PROXY, and around it for NO_PROXY", () =>
      Effect.gen(function* () {
        const mock = yield* MockCloudServer
        const proxy = yield* connectProxy
        const cluster = mock.tencent.clusters.find((c) => c.status === "Running")!
        const fetchWith = (env: Record<string, string>) =>
          Effect.flatMap(TkeClient.TkeClient, (client) =>
            client.fetch({
              _tag: "tencent",
              region: cluster.region as never,
              clusterId: cluster.clusterId as never,
              endpoint: "public"
            })
          ).pipe(
            Effect.provide(
              TkeClient.layer({
                env,
                home: "/nonexistent",
                transport,
                endpoint: mock.tencent.endpoint,
                credentials: credentialsOf(mock)
              }).pipe(Layer.provide(NodeHttpClient.layer))
            )
          )
        const target = new URL(mock.tencent.endpoint).host
        yield* fetchWith({ HTTP_PROXY: proxy.url })
        expect(proxy.targets).toEqual([target])
        yield* fetchWith({ HTTP_PROXY: proxy.url, NO_PROXY: "localhost,127.0.0.1" })
        expect(proxy.targets).toEqual([target])
        // http_proxy alone is what the SDK would honour unconditionally; with NO_PROXY it must not.
        yield* fetchWith({ http_proxy: proxy.url, no_proxy: "127.0.0.1" })
        expect(proxy.targets).toEqual([target])
      }).pipe(Effect.scoped)
    )
  })
}
