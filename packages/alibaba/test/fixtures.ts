/** Shared test helpers: the mock cloud, client variants, small policies, fault scoping. */
import * as MockCloud from "@kubecred/mock-cloud"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import type * as Scope from "effect/Scope"
import { defaultRetryPolicy, defaultThrottlePolicy, RetryPolicy, ThrottlePolicy } from "@kubecred/core/Policy"
import type { Service } from "@kubecred/core/KubeconfigSource"
import { type AckClientOptions, scoped } from "../src/AckClient.js"

export const MockCloudServer = MockCloud.MockCloudServer
export type MockCloudHandle = MockCloud.MockCloud
export type FaultRule = MockCloud.FaultRule

export const mockLayer = (options?: MockCloud.MockCloudOptions) =>
  MockCloud.layer({
    alibabaRateLimit: 5000,
    generate: { alibaba: [{ region: "cn-shenzhen", count: 250 }] },
    ...options
  })

export interface Variant {
  readonly name: string
  readonly options: Pick<AckClientOptions, "transport" | "signatureVersion">
}

/** Every transport and signature combination the contract suite runs over. */
export const variants: ReadonlyArray<Variant> = [
  { name: "http v3", options: { transport: "http", signatureVersion: "v3" } },
  { name: "sdk v3", options: { transport: "sdk", signatureVersion: "v3" } },
  { name: "http v2", options: { transport: "http", signatureVersion: "v2" } },
  { name: "sdk v2", options: { transport: "sdk", signatureVersion: "v2" } }
]

/** Retries quick enough for tests; the schedule itself is tested with TestClock in core. */
export const fastRetries = {
  ...defaultRetryPolicy,
  baseDelay: Duration.millis(5),
  maxDelay: Duration.millis(50),
  attemptTimeout: Duration.seconds(5),
  deadline: Duration.seconds(30),
  unavailableDelay: Duration.millis(10)
}

export const fastThrottle = { ...defaultThrottlePolicy, requestsPerSecond: { tencent: 20, alibaba: 2000 } }

export const withPolicies = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  effect.pipe(Effect.provideService(RetryPolicy, fastRetries), Effect.provideService(ThrottlePolicy, fastThrottle))

/** A client against the mock with its AK credentials (or the STS ones). */
export const client = (
  variant: Variant,
  extra: AckClientOptions & { readonly sts?: boolean } = {}
): Effect.Effect<Service, never, Scope.Scope | MockCloud.MockCloudServer> =>
  Effect.gen(function* () {
    const mock = yield* MockCloud.MockCloudServer
    const { sts, ...rest } = extra
    const credentials = sts
      ? {
          accessKeyId: mock.alibaba.sts.accessKeyId,
          accessKeySecret: Redacted.make(mock.alibaba.sts.accessKeySecret),
          securityToken: Redacted.make(mock.alibaba.sts.securityToken)
        }
      : { accessKeyId: mock.alibaba.accessKeyId, accessKeySecret: Redacted.make(mock.alibaba.accessKeySecret) }
    return yield* scoped({ endpoint: mock.alibaba.endpoint, credentials, ...variant.options, ...rest })
  })

/** Runs `effect` with these fault rules active, clearing them afterwards. */
export const withFaults = <A, E, R>(rules: ReadonlyArray<FaultRule>, effect: Effect.Effect<A, E, R>) =>
  Effect.acquireUseRelease(
    Effect.flatMap(MockCloud.MockCloudServer, (mock) => Effect.sync(() => mock.setFaults(rules))),
    () => effect,
    () => Effect.flatMap(MockCloud.MockCloudServer, (mock) => Effect.sync(() => mock.setFaults([])))
  )

/** How many requests the mock saw for an action. */
export const requestsSeen = (action: string) =>
  Effect.map(MockCloud.MockCloudServer, (mock) => mock.stats().requests[`alibaba:${action}`] ?? 0)

/** A running cluster of a region, from the mock's ready info. */
export const runningCluster = (region = "cn-hangzhou") =>
  Effect.map(MockCloud.MockCloudServer, (mock) => {
    const found = mock.alibaba.clusters.find((c) => c.region === region && c.state === "running")
    if (!found) throw new Error(`no running cluster in ${region}`)
    return found.clusterId
  })

export const clusterIn = (state: string) =>
  Effect.map(MockCloud.MockCloudServer, (mock) => {
    const found = mock.alibaba.clusters.find((c) => c.state === state)
    if (!found) throw new Error(`no ${state} cluster`)
    return found
  })
