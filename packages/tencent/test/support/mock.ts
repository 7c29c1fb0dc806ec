/** Test wiring: the mock cloud in-process (127.0.0.1, port 0) and a TkeClient pointed at it. */
import { type FaultRule, type MockCloud, type MockCloudOptions, MockCloudServer, layer } from "@kubecred/mock-cloud"
import { KubeconfigSource } from "@kubecred/core/KubeconfigSource"
import { RetryPolicy, ThrottlePolicy, defaultRetryPolicy, defaultThrottlePolicy } from "@kubecred/core/Policy"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as TkeClient from "../../src/TkeClient.js"

export type Transport = "http" | "sdk"
export const transports: ReadonlyArray<Transport> = ["http", "sdk"]

/** An empty environment and home, so nothing of the machine running the tests leaks in. */
export const isolated = {
  env: {},
  home: "/nonexistent-kubecred-test-home",
  systemCredentials: "/nonexistent-kubecred-test-etc/credentials"
} as const

export const credentialsOf = (mock: MockCloud, sts = false): TkeClient.TkeCredentials =>
  sts
    ? {
        secretId: mock.tencent.sts.secretId,
        secretKey: Redacted.make(mock.tencent.sts.secretKey),
        token: Redacted.make(mock.tencent.sts.token)
      }
    : { secretId: mock.tencent.secretId, secretKey: Redacted.make(mock.tencent.secretKey) }

export const clientLayer = (
  transport: Transport,
  options: { readonly sts?: boolean; readonly endpoint?: (mock: MockCloud) => string } = {}
): Layer.Layer<TkeClient.TkeClient, never, MockCloudServer> =>
  Layer.unwrapEffect(
    Effect.map(MockCloudServer, (mock) =>
      TkeClient.layer({
        ...isolated,
        transport,
        endpoint: options.endpoint ? options.endpoint(mock) : mock.tencent.endpoint,
        credentials: credentialsOf(mock, options.sts)
      })
    )
  )

/** The mock and a client over one transport, both in the test's layer. */
export const mockWithClient = (transport: Transport, mockOptions: MockCloudOptions = {}) =>
  clientLayer(transport).pipe(Layer.provideMerge(layer({ tencentRateLimit: 10_000, ...mockOptions })))

/** Small delays, so retry paths run in milliseconds. */
export const fastRetries = {
  ...defaultRetryPolicy,
  baseDelay: Duration.millis(5),
  maxDelay: Duration.millis(50),
  unavailableDelay: Duration.millis(10),
  attemptTimeout: Duration.seconds(5),
  deadline: Duration.seconds(30)
}

export const withPolicy =
  (policy: Partial<typeof fastRetries>) =>
  <A, E, R>(effect: Effect.Effect<A, E, R>) =>
    Effect.provideService(effect, RetryPolicy, { ...fastRetries, ...policy })

/** Pacing far above the mock's limit (tests that are not about pacing need not wait for it). */
export const fastPacing = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.provideService(effect, ThrottlePolicy, {
    ...defaultThrottlePolicy,
    requestsPerSecond: { tencent: 5_000, alibaba: 5_000 }
  })

export const requestsOf = (mock: MockCloud, action: string) => mock.stats().requests[`tencent:${action}`] ?? 0

export const setFaults = (mock: MockCloud, rules: ReadonlyArray<FaultRule>) => Effect.sync(() => mock.setFaults(rules))

export { KubeconfigSource, MockCloudServer }
