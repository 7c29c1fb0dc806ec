/**
 * No secret (secret key, STS token, the kubeconfig's client key) in any error, log line or span attribute:
 * every path, successful and failing, over both transports, scanned for the mock's secrets.
 */
import { expect, layer } from "@effect/vitest"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Logger from "effect/Logger"
import * as LogLevel from "effect/LogLevel"
import * as Redacted from "effect/Redacted"
import * as Stream from "effect/Stream"
import * as Tracer from "effect/Tracer"
import * as TkeClient from "../src/TkeClient.js"
import { MockCloudServer, credentialsOf, isolated, setFaults, transports, withPolicy } from "./support/mock.js"
import { layer as mockLayer } from "@kubecred/mock-cloud"

for (const transport of transports) {
  layer(mockLayer({ tencentRateLimit: 10_000 }), { excludeTestServices: true })(`secrets over ${transport}`, (it) => {
    it.effect("never appear in errors, logs or spans", () =>
      Effect.gen(function* () {
        const mock = yield* MockCloudServer
        const produced: Array<string> = []
        const spans: Array<Tracer.Span> = []
        const native = yield* Effect.tracer
        const recording = Tracer.make({
          span: (...args) => {
            const span = native.span(...args)
            spans.push(span)
            return span
          },
          context: native.context
        })
        const logger = Logger.make(({ message, annotations, cause }) => {
          produced.push(`${String(message)} ${JSON.stringify([...annotations])} ${Cause.pretty(cause)}`)
        })
        const cluster = mock.tencent.clusters.find((c) => c.status === "Running")!
        const keys: Array<string> = []

        const clientFor = (sts: boolean, mutate?: (c: TkeClient.TkeCredentials) => TkeClient.TkeCredentials) =>
          TkeClient.scoped({
            ...isolated,
            transport,
            endpoint: mock.tencent.endpoint,
            credentials: (mutate ?? ((c) => c))(credentialsOf(mock, sts))
          })
        const record = <A, E>(effect: Effect.Effect<A, E>) =>
          Effect.exit(effect).pipe(
            Effect.tap((exit) => {
              if (Exit.isFailure(exit)) {
                produced.push(Cause.pretty(exit.cause))
                for (const error of Cause.failures(exit.cause)) {
                  const e = error as { message?: string; stack?: string }
                  produced.push(String(error), JSON.stringify(error), e.message ?? "", e.stack ?? "")
                }
              } else {
                produced.push(JSON.stringify(exit.value), String(exit.value))
              }
            })
          )

        const scenario = Effect.gen(function* () {
          const faults = [
            [],
            [{ provider: "tencent" as const, error: { code: "AuthFailure.SignatureFailure" } }],
            [{ provider: "tencent" as const, error: { code: "InternalError" } }],
            [{ provider: "tencent" as const, reset: true }],
            [{ provider: "tencent" as const, nonJson: true }],
            [{ provider: "tencent" as const, httpStatus: 502 }],
            [{ provider: "tencent" as const, wrongShape: true }]
          ]
          for (const sts of [false, true]) {
            const client = yield* clientFor(sts)
            for (const rules of faults) {
              yield* setFaults(mock, rules)
              const fetched = yield* record(
                client.fetch({
                  _tag: "tencent",
                  region: cluster.region as never,
                  clusterId: cluster.clusterId as never,
                  endpoint: "public"
                })
              )
              if (Exit.isSuccess(fetched)) {
                const key = Redacted.value(fetched.value.document.users![0]!.user["client-key-data"]!)
                keys.push(key, Buffer.from(key, "base64").toString("utf8").split("\n")[1]!)
              }
              yield* record(Stream.runDrain(client.listClusters({ regions: ["ap-guangzhou"] })))
            }
          }
          yield* setFaults(mock, [])
          // wrong token, wrong key
          const badToken = yield* clientFor(true, (c) => ({ ...c, token: Redacted.make(`${mock.tencent.sts.token}x`) }))
          yield* record(
            badToken.fetch({
              _tag: "tencent",
              region: cluster.region as never,
              clusterId: cluster.clusterId as never,
              endpoint: "public"
            })
          )
          const badKey = yield* clientFor(false, (c) => ({
            ...c,
            secretKey: Redacted.make(`${mock.tencent.secretKey}x`)
          }))
          yield* record(Stream.runDrain(badKey.listClusters({ regions: ["ap-guangzhou"] })))
        })

        yield* scenario.pipe(
          withPolicy({ maxRetries: 1 }),
          Effect.scoped,
          Effect.provide(NodeHttpClient.layer),
          Effect.withTracer(recording),
          Effect.provide(Logger.replace(Logger.defaultLogger, logger)),
          Logger.withMinimumLogLevel(LogLevel.All)
        )

        for (const span of spans) {
          produced.push(span.name, JSON.stringify([...span.attributes].map(([k, v]) => [k, String(v)])))
        }
        const text = produced.join("\n")
        expect(keys.length).toBeGreaterThan(0)
        expect(spans.length).toBeGreaterThan(10)
        expect(text).toContain("AuthFailure.SignatureFailure")
        expect(text).toContain("attempt failed")
        if (transport === "http") expect(text).toContain("http.request.header.x-tc-token")
        const secrets = [mock.tencent.secretKey, mock.tencent.sts.secretKey, mock.tencent.sts.token, ...keys]
        for (const secret of secrets) expect(text.includes(secret), `leaked ${secret.slice(0, 6)}…`).toBe(false)
      })
    )
  })
}
