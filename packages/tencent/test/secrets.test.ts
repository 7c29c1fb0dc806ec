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
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as TkeClient from "../src/TkeClient.js"
import { resolve } from "../src/TkeCredentials.js"
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
        /** OIDC tokens and STS sessions made by the chain's STS sources. */
        const stsSecrets: Array<string> = []

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

          // the STS sources: a pod's token exchanged, a role assumed; sessions, refusals and expired tokens
          const mint = (expiresInSeconds?: number) =>
            Effect.map(
              Effect.promise(() =>
                mock.mintOidcToken({
                  audience: "sts.cloud.tencent.com",
                  subject: "system:serviceaccount:default:app",
                  ...(expiresInSeconds === undefined ? {} : { expiresInSeconds })
                })
              ),
              (token) => {
                stsSecrets.push(token)
                const path = join(mkdtempSync(join(tmpdir(), "kubecred-secrets-")), "token")
                writeFileSync(path, token)
                return path
              }
            )
          const sts = (tokenFile: string, role = mock.tencent.roles[0]!.arn) => ({
            ...isolated,
            stsCa: readFileSync(mock.caFile, "utf8"),
            env: {
              TKE_ROLE_ARN: role,
              TKE_PROVIDER_ID: mock.tencent.oidcProviders[0]!.id,
              TKE_WEB_IDENTITY_TOKEN_FILE: tokenFile,
              TKE_REGION: "ap-guangzhou",
              KUBECRED_TKE_STS_ENDPOINT: mock.tencent.stsEndpoint
            }
          })
          const good = yield* mint()
          const request = {
            _tag: "tencent" as const,
            region: cluster.region as never,
            clusterId: cluster.clusterId as never,
            endpoint: "public" as const
          }
          const session = yield* resolve(sts(good))
          stsSecrets.push(Redacted.value(session.secretKey), Redacted.value(session.token!))
          yield* record(Effect.succeed(session))
          const pod = yield* TkeClient.scoped({ ...sts(good), transport, endpoint: mock.tencent.endpoint })
          yield* record(pod.fetch(request))
          const assumed = yield* resolve({
            ...sts(good),
            credentials: credentialsOf(mock),
            roleArn: mock.tencent.roles[0]!.arn
          })
          stsSecrets.push(Redacted.value(assumed.secretKey), Redacted.value(assumed.token!))
          yield* record(Effect.succeed(assumed))
          const keyOnly = mock.tencent.roles.find((r) => r.name.endsWith("-key-only"))!.arn
          const oidcOnly = mock.tencent.roles.find((r) => r.name.endsWith("-oidc-only"))!.arn
          yield* record(resolve(sts(good, keyOnly)))
          yield* record(resolve(sts(yield* mint(-60))))
          yield* record(resolve({ ...sts(good), credentials: credentialsOf(mock), roleArn: oidcOnly }))
          yield* record(
            resolve({
              ...sts(good),
              credentials: { ...credentialsOf(mock), secretKey: Redacted.make(`${mock.tencent.secretKey}x`) },
              roleArn: mock.tencent.roles[0]!.arn
            })
          )
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
        expect(text).toContain("UnauthorizedOperation")
        expect(text).toContain("InvalidParameter.WebIdentityTokenError")
        expect(stsSecrets.length).toBe(6)
        expect(text).toContain("attempt failed")
        if (transport === "http") expect(text).toContain("http.request.header.x-tc-token")
        const secrets = [
          mock.tencent.secretKey,
          mock.tencent.sts.secretKey,
          mock.tencent.sts.token,
          ...keys,
          ...stsSecrets
        ]
        for (const secret of secrets) expect(text.includes(secret), `leaked ${secret.slice(0, 6)}…`).toBe(false)
      })
    )
  })
}
