import { describe, expect, it, layer } from "@effect/vitest"
import * as Config from "effect/Config"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Deferred from "effect/Deferred"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import type { AlibabaFetchRequest } from "@kubecred/core/FetchRequest"
import { KubeconfigSource } from "@kubecred/core/KubeconfigSource"
import { RetryPolicy } from "@kubecred/core/Policy"
import { createServer, type Server } from "node:http"
import type { AddressInfo } from "node:net"
import { AckClient, layer as ackLayer, defaultConfig, layerConfig, layerSource, scoped } from "../src/AckClient.js"
import { fastRetries, MockCloudServer, mockLayer, runningCluster, variants } from "./fixtures.js"

const request = (clusterId: string) =>
  ({ _tag: "alibaba", region: "cn-hangzhou", clusterId, endpoint: "public" }) as AlibabaFetchRequest

/** A 127.0.0.1 server that never answers; it tells when a request arrives and when its socket closes. */
const hangingServer = Effect.gen(function* () {
  const arrived = yield* Deferred.make<void>()
  const closed = yield* Deferred.make<void>()
  const server = yield* Effect.acquireRelease(
    Effect.async<Server>((resume) => {
      const s = createServer((req) => {
        Deferred.unsafeDone(arrived, Effect.void)
        req.socket.once("close", () => Deferred.unsafeDone(closed, Effect.void))
      })
      s.listen(0, "127.0.0.1", () => resume(Effect.succeed(s)))
    }),
    (s) =>
      Effect.async<void>((resume) => {
        s.closeAllConnections()
        s.close(() => resume(Effect.void))
      })
  )
  return { port: (server.address() as AddressInfo).port, arrived, closed }
})

describe("AckClient", () => {
  for (const variant of variants) {
    it.scoped(`${variant.name}: interrupting a fetch aborts the request in flight`, () =>
      Effect.gen(function* () {
        const server = yield* hangingServer
        const source = yield* scoped({
          endpoint: `http://127.0.0.1:${server.port}`,
          credentials: { accessKeyId: "AK", accessKeySecret: Redacted.make("secret") },
          ...variant.options
        })
        const fiber = yield* Effect.fork(
          source
            .fetch(request(`c${"a".repeat(32)}`))
            .pipe(Effect.provideService(RetryPolicy, { ...fastRetries, attemptTimeout: Duration.minutes(5) }))
        )
        yield* Deferred.await(server.arrived)
        yield* Fiber.interrupt(fiber)
        // the client closed the connection itself: the SDK's own timeout here would be 5 minutes
        yield* Deferred.await(server.closed)
      }).pipe(
        Effect.timeoutFail({
          duration: Duration.seconds(30),
          onTimeout: () => new Error("the request was not aborted")
        })
      )
    )
  }

  it.effect("an endpoint override that is not a URL fails every call with InvalidInput", () =>
    Effect.scoped(
      Effect.gen(function* () {
        const source = yield* scoped({ endpoint: "ftp://nope" })
        const error = yield* Effect.flip(source.fetch(request(`c${"a".repeat(32)}`)))
        expect(error).toMatchObject({ _tag: "InvalidInput", field: "endpoint" })
      })
    )
  )

  it.effect("a fetch for another provider is refused before any request", () =>
    Effect.scoped(
      Effect.gen(function* () {
        const source = yield* scoped({ credentials: { accessKeyId: "AK", accessKeySecret: Redacted.make("s") } })
        const error = yield* Effect.flip(
          source.fetch({
            _tag: "tencent",
            region: "ap-guangzhou",
            clusterId: "cls-abcdefgh",
            endpoint: "public"
          } as never)
        )
        expect(error).toMatchObject({ _tag: "InvalidInput", field: "provider" })
      })
    )
  )

  it.effect("defaultRegion comes from the chain", () =>
    Effect.scoped(
      Effect.gen(function* () {
        const source = yield* scoped({ env: { ALIBABA_CLOUD_REGION_ID: "cn-shanghai" }, home: "/nonexistent" })
        expect(yield* source.defaultRegion).toEqual(Option.some("cn-shanghai"))
      })
    )
  )
})

layer(mockLayer(), { excludeTestServices: true, timeout: Duration.seconds(60) })("AckClient layers", (it) => {
  it.effect("layer, layerSource and layerConfig (KUBECRED_ACK_ENDPOINT) all serve the mock", () =>
    Effect.gen(function* () {
      const mock = yield* MockCloudServer
      const id = yield* runningCluster()
      const env = {
        ALIBABA_CLOUD_ACCESS_KEY_ID: mock.alibaba.accessKeyId,
        ALIBABA_CLOUD_ACCESS_KEY_SECRET: mock.alibaba.accessKeySecret
      }
      const viaTag = yield* Effect.flatMap(AckClient, (c) => c.fetch(request(id))).pipe(
        Effect.provide(ackLayer({ endpoint: mock.alibaba.endpoint, env, home: "/nonexistent" }))
      )
      expect(viaTag.attempts).toBe(1)
      const viaPort = yield* Effect.flatMap(KubeconfigSource, (c) => c.fetch(request(id))).pipe(
        Effect.provide(layerSource({ endpoint: mock.alibaba.endpoint, env, home: "/nonexistent" }))
      )
      expect(viaPort.attempts).toBe(1)
      const configured = layerConfig(
        defaultConfig,
        Config.all({ accessKeyId: Config.string("ACK_ID"), accessKeySecret: Config.redacted("ACK_SECRET") })
      ).pipe(
        Layer.provide(
          Layer.setConfigProvider(
            ConfigProvider.fromMap(
              new Map([
                ["KUBECRED_ACK_ENDPOINT", mock.alibaba.endpoint],
                ["KUBECRED_ACK_TRANSPORT", "sdk"],
                ["ACK_ID", mock.alibaba.accessKeyId],
                ["ACK_SECRET", mock.alibaba.accessKeySecret]
              ])
            )
          )
        )
      )
      const viaConfig = yield* Effect.flatMap(AckClient, (c) => c.fetch(request(id))).pipe(Effect.provide(configured))
      expect(viaConfig.attempts).toBe(1)
      const missing = yield* Effect.flip(
        Layer.build(
          layerConfig(
            defaultConfig,
            Config.all({ accessKeyId: Config.string("NOPE"), accessKeySecret: Config.redacted("NOPE2") })
          )
        ).pipe(Effect.scoped, Effect.withConfigProvider(ConfigProvider.fromMap(new Map())))
      )
      expect(missing._tag).toBe("ConfigError")
    })
  )
})
