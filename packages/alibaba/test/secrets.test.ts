/**
 * No secret (AccessKey secret, STS token, the kubeconfig's client key) appears in any error, log line or span
 * attribute, whatever happens: success, every error code, malformed bodies, resets, timeouts; both transports.
 */
import { expect, layer } from "@effect/vitest"
import * as Cause from "effect/Cause"
import * as Chunk from "effect/Chunk"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as HashMap from "effect/HashMap"
import * as Logger from "effect/Logger"
import * as LogLevel from "effect/LogLevel"
import * as Redacted from "effect/Redacted"
import * as Stream from "effect/Stream"
import * as Tracer from "effect/Tracer"
import type { AlibabaFetchRequest } from "@kubecred/core/FetchRequest"
import { RetryPolicy } from "@kubecred/core/Policy"
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { scoped } from "../src/AckClient.js"
import { resolve } from "../src/AckCredentials.js"
import {
  client,
  fastRetries,
  MockCloudServer,
  mockLayer,
  runningCluster,
  variants,
  withFaults,
  withPolicies
} from "./fixtures.js"

const request = (clusterId: string) =>
  ({ _tag: "alibaba", region: "cn-hangzhou", clusterId, endpoint: "public" }) as AlibabaFetchRequest

const codes = [
  "InvalidAccessKeyId.NotFound",
  "SignatureDoesNotMatch",
  "InvalidSecurityToken.Expired",
  "InvalidSecurityToken.MismatchWithAccessKey",
  "Forbidden.RAM",
  "Throttling.User",
  "ServiceUnavailable",
  "InternalError",
  "ErrorClusterNotFound",
  "ErrorClusterState",
  "InvalidParameter",
  "SignatureNonceUsed"
]

layer(mockLayer(), { excludeTestServices: true, timeout: Duration.seconds(60) })("secrets", (it) => {
  it.scoped("no secret in any error, log line or span attribute", () =>
    Effect.gen(function* () {
      const mock = yield* MockCloudServer
      const secrets = [mock.alibaba.accessKeySecret, mock.alibaba.sts.accessKeySecret, mock.alibaba.sts.securityToken]
      const produced: Array<string> = []
      const logs: Array<string> = []
      const spans: Array<Tracer.Span> = []
      const base = yield* Effect.tracer
      const tracer = Tracer.make({
        span: (...args) => {
          const span = base.span(...args)
          spans.push(span)
          return span
        },
        context: base.context
      })
      const logger = Logger.make(({ annotations, cause, logLevel, message }) => {
        logs.push(
          `${logLevel.label} ${JSON.stringify(message)} ${JSON.stringify(HashMap.toEntries(annotations))} ${Cause.pretty(cause)}`
        )
      })
      const record = (error: unknown) => {
        produced.push(String(error), JSON.stringify(error), (error as Error).message, (error as Error).stack ?? "")
        produced.push(Cause.pretty(Cause.fail(error)))
      }
      const id = yield* runningCluster()

      const scenario = Effect.gen(function* () {
        for (const variant of variants) {
          for (const sts of [false, true]) {
            const source = yield* client(variant, { sts })
            const fetched = yield* source.fetch(request(id))
            const key = fetched.document.users?.[0]?.user["client-key-data"]
            expect(key && Redacted.value(key).length).toBeGreaterThan(100)
            secrets.push(Redacted.value(key!))
            produced.push(JSON.stringify(fetched), String(fetched.document.users?.[0]?.user["client-key-data"]))
            produced.push(
              JSON.stringify(Chunk.toArray(yield* Stream.runCollect(source.listClusters({ regions: ["cn-hangzhou"] }))))
            )
            for (const code of codes) {
              yield* withFaults(
                [{ provider: "alibaba", error: { code, retryAfterMs: 1 } }],
                Effect.flip(source.fetch(request(id)))
              ).pipe(Effect.tap(record))
            }
            for (const fault of [
              { nonJson: true },
              { emptyBody: true },
              { truncate: true },
              { wrongShape: true },
              { reset: true },
              { httpStatus: 502 }
            ]) {
              yield* withFaults([{ provider: "alibaba", ...fault }], Effect.flip(source.fetch(request(id)))).pipe(
                Effect.tap(record)
              )
            }
            yield* withFaults([{ provider: "alibaba", hang: true }], Effect.flip(source.fetch(request(id)))).pipe(
              Effect.tap(record),
              Effect.provideService(RetryPolicy, {
                ...fastRetries,
                maxRetries: 0,
                attemptTimeout: Duration.millis(200)
              })
            )
          }
        }

        // the STS sources: RRSA's token exchanged, a role assumed; sessions, refusals and expired tokens
        const mint = (expiresInSeconds?: number) =>
          Effect.map(
            Effect.promise(() =>
              mock.mintOidcToken({
                audience: "sts.aliyuncs.com",
                subject: "system:serviceaccount:default:app",
                ...(expiresInSeconds === undefined ? {} : { expiresInSeconds })
              })
            ),
            (token) => {
              secrets.push(token)
              const path = join(mkdtempSync(join(tmpdir(), "kubecred-secrets-")), "token")
              writeFileSync(path, token)
              return path
            }
          )
        const sts = (tokenFile: string, role = mock.alibaba.roles[0]!.arn) => ({
          home: "/nonexistent-kubecred-home",
          stsCa: readFileSync(mock.caFile, "utf8"),
          env: {
            ALIBABA_CLOUD_ROLE_ARN: role,
            ALIBABA_CLOUD_OIDC_PROVIDER_ARN: mock.alibaba.oidcProviders[0]!.id,
            ALIBABA_CLOUD_OIDC_TOKEN_FILE: tokenFile,
            KUBECRED_ACK_STS_ENDPOINT: mock.alibaba.stsEndpoint
          }
        })
        const demo = {
          accessKeyId: mock.alibaba.accessKeyId,
          accessKeySecret: Redacted.make(mock.alibaba.accessKeySecret)
        }
        const good = yield* mint()
        const session = yield* resolve(sts(good))
        const assumed = yield* resolve({ ...sts(good), credentials: demo, roleArn: mock.alibaba.roles[0]!.arn })
        for (const made of [session, assumed]) {
          secrets.push(Redacted.value(made.accessKeySecret), Redacted.value(made.securityToken!))
          produced.push(JSON.stringify(made), String(made))
        }
        const pod = yield* scoped({ ...sts(good), endpoint: mock.alibaba.endpoint })
        produced.push(JSON.stringify(yield* pod.fetch(request(id))))
        const keyOnly = mock.alibaba.roles.find((r) => r.name.endsWith("-key-only"))!.arn
        const oidcOnly = mock.alibaba.roles.find((r) => r.name.endsWith("-oidc-only"))!.arn
        for (const failing of [
          resolve(sts(good, keyOnly)),
          resolve(sts(yield* mint(-60))),
          resolve({ ...sts(good), credentials: demo, roleArn: oidcOnly }),
          resolve({
            ...sts(good),
            credentials: { ...demo, accessKeySecret: Redacted.make(`${mock.alibaba.accessKeySecret}x`) },
            roleArn: mock.alibaba.roles[0]!.arn
          })
        ]) {
          const error = yield* Effect.flip(failing)
          expect(["AccessDenied", "AuthenticationFailed"]).toContain(error._tag)
          record(error)
        }
      })
      yield* withPolicies(
        scenario.pipe(
          Effect.provideService(RetryPolicy, { ...fastRetries, maxRetries: 1, attemptTimeout: Duration.seconds(5) })
        )
      ).pipe(
        Effect.withTracer(tracer),
        Effect.provide(Logger.replace(Logger.defaultLogger, logger)),
        Logger.withMinimumLogLevel(LogLevel.All)
      )
      for (const span of spans) {
        const s = span as Tracer.Span & { readonly events?: ReadonlyArray<unknown> }
        const text = (v: unknown) => JSON.stringify(v, (_, x) => (typeof x === "bigint" ? x.toString() : x))
        produced.push(`${s.name} ${text([...s.attributes])} ${text(s.events ?? [])}`)
      }
      produced.push(...logs)
      // the scan is not vacuous: HTTP spans recorded request headers, and attempts were logged
      expect(logs.length).toBeGreaterThan(50)
      const headerAttributes = spans
        .flatMap((s) => [...s.attributes.keys()])
        .filter((k) => k.startsWith("http.request.header."))
      expect(headerAttributes).toContain("http.request.header.x-acs-security-token")
      expect(headerAttributes).toContain("http.request.header.authorization")
      const all = produced.join("\n")
      for (const secret of secrets) {
        expect(secret.length).toBeGreaterThan(8)
        expect(all.includes(secret)).toBe(false)
      }
    })
  )
})
