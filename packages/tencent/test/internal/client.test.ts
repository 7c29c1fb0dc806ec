/**
 * The client over a scripted in-memory transport, on the TestClock: pacing per account and action, the retry
 * schedule, pagination. (The wire is the contract suite's business.)
 */
import { AuthenticationFailed, ProviderInternal, type ProviderError, Throttled } from "@kubecred/core/KubecredError"
import { RetryPolicy, ThrottlePolicy, defaultRetryPolicy, defaultThrottlePolicy } from "@kubecred/core/Policy"
import { describe, expect, it } from "@effect/vitest"
import * as Chunk from "effect/Chunk"
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Stream from "effect/Stream"
import * as TestClock from "effect/TestClock"
import * as YAML from "yaml"
import { make, phaseOf } from "../../src/internal/client.js"
import { type TkeCall, type TkeTransport, fromCaller } from "../../src/internal/transport.js"

const kubeconfig = YAML.stringify({
  apiVersion: "v1",
  kind: "Config",
  clusters: [{ name: "c", cluster: { server: "https://x" } }],
  users: [{ name: "u", user: { token: "t" } }],
  contexts: [{ name: "ctx", context: { cluster: "c", user: "u" } }],
  "current-context": "ctx"
})

interface Seen {
  readonly at: number
  readonly call: TkeCall
}

/** A transport that records when each call happened and answers from a script. */
const scripted = (answer: (call: TkeCall, n: number) => Effect.Effect<Record<string, unknown>, ProviderError>) => {
  const seen: Array<Seen> = []
  const transport: TkeTransport = fromCaller("http", (call) =>
    Effect.flatMap(Clock.currentTimeMillis, (at) => {
      seen.push({ at, call })
      return Effect.map(answer(call, seen.length), (response) => ({ response, requestId: "req" }))
    })
  )
  return { transport, seen }
}

const clientWith = (transport: TkeTransport, secretId = "AKIDone") =>
  make({
    transport,
    credentials: Effect.succeed({ secretId, secretKey: Redacted.make("k"), source: "explicit" }),
    defaultRegion: Effect.succeed(Option.some("ap-guangzhou"))
  })

const fetchIn = (client: Effect.Effect.Success<ReturnType<typeof clientWith>>, n = 0) =>
  client.fetch({
    _tag: "tencent",
    region: "ap-guangzhou" as never,
    clusterId: `cls-${String(n).padStart(8, "0")}` as never,
    endpoint: "public"
  })

const ok = () => Effect.succeed({ Kubeconfig: kubeconfig, RequestId: "req" })

describe("client pacing (TestClock)", () => {
  it.effect("paces concurrent calls of one account and action at the TKE rate with headroom", () =>
    Effect.gen(function* () {
      const { transport, seen } = scripted(ok)
      const client = yield* clientWith(transport)
      const fiber = yield* Effect.fork(
        Effect.forEach(
          Array.from({ length: 60 }, (_, i) => i),
          (i) => fetchIn(client, i),
          {
            concurrency: "unbounded"
          }
        )
      )
      yield* TestClock.adjust(Duration.seconds(5))
      const results = yield* Fiber.join(fiber)
      expect(results.length).toBe(60)
      const times = seen.map((s) => s.at).sort((a, b) => a - b)
      const interval = 1000 / (20 * 0.97)
      for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(interval - 1)
      // never more than the limit in any calendar second, nor in any sliding one
      for (const t of times) expect(times.filter((u) => u >= t && u < t + 1000).length).toBeLessThanOrEqual(20)
      expect(times[59]! - times[0]!).toBeCloseTo(59 * interval, -1)
    })
  )

  it.effect("accounts and actions have separate pacers; the rate follows ThrottlePolicy", () =>
    Effect.gen(function* () {
      const { transport, seen } = scripted((call) =>
        call.action === "DescribeClusters" ? Effect.succeed({ TotalCount: 0, Clusters: [] }) : ok()
      )
      const a = yield* clientWith(transport, "AKIDa")
      const b = yield* clientWith(transport, "AKIDb")
      const fiber = yield* Effect.fork(
        Effect.all(
          [
            Effect.forEach([1, 2, 3, 4], (i) => fetchIn(a, i), { concurrency: "unbounded" }),
            Effect.forEach([1, 2, 3, 4], (i) => fetchIn(b, i), { concurrency: "unbounded" }),
            Stream.runDrain(a.listClusters({ regions: ["ap-guangzhou"] }))
          ],
          { concurrency: "unbounded" }
        )
      )
      yield* TestClock.adjust(Duration.seconds(1))
      yield* Fiber.join(fiber)
      // at 10/s: each of the three keys starts at 0 and spaces its own calls 100 ms apart
      const byKey = (secretId: string, action: string) =>
        seen.filter((s) => s.call.credentials.secretId === secretId && s.call.action === action).map((s) => s.at)
      expect(byKey("AKIDa", "DescribeClusterKubeconfig").sort((x, y) => x - y)).toEqual([0, 100, 200, 300])
      expect(byKey("AKIDb", "DescribeClusterKubeconfig").sort((x, y) => x - y)).toEqual([0, 100, 200, 300])
      expect(byKey("AKIDa", "DescribeClusters")).toEqual([0])
    }).pipe(
      Effect.provideService(ThrottlePolicy, {
        ...defaultThrottlePolicy,
        requestsPerSecond: { tencent: 10, alibaba: 10 },
        headroom: 1
      })
    )
  )
})

describe("client retries (TestClock)", () => {
  const policy = { ...defaultRetryPolicy, baseDelay: Duration.millis(100), maxDelay: Duration.seconds(2) }
  const ctx = { provider: "tencent", action: "DescribeClusterKubeconfig" } as const

  it.effect("retries throttles and internal errors with backoff, counting attempts", () =>
    Effect.gen(function* () {
      const { transport, seen } = scripted((_, n) =>
        n === 1
          ? Effect.fail(new Throttled({ ...ctx, detail: "slow down" }))
          : n === 2
            ? Effect.fail(new ProviderInternal({ ...ctx, detail: "boom" }))
            : ok()
      )
      const client = yield* clientWith(transport)
      const fiber = yield* Effect.fork(fetchIn(client))
      yield* TestClock.adjust(Duration.seconds(5))
      const fetched = yield* Fiber.join(fiber)
      expect(fetched.attempts).toBe(3)
      const gaps = seen.slice(1).map((s, i) => s.at - seen[i]!.at)
      expect(gaps[0]).toBeGreaterThanOrEqual(80)
      expect(gaps[1]).toBeGreaterThanOrEqual(160)
    }).pipe(Effect.provideService(RetryPolicy, policy))
  )

  it.effect("never retries a non-retryable error", () =>
    Effect.gen(function* () {
      const { transport, seen } = scripted(() => Effect.fail(new AuthenticationFailed({ ...ctx, detail: "bad key" })))
      const client = yield* clientWith(transport)
      const fiber = yield* Effect.fork(Effect.flip(fetchIn(client)))
      yield* TestClock.adjust(Duration.seconds(30))
      const error = yield* Fiber.join(fiber)
      expect(error._tag).toBe("AuthenticationFailed")
      expect(seen.length).toBe(1)
    }).pipe(Effect.provideService(RetryPolicy, policy))
  )
})

describe("listing", () => {
  it.effect("pages with Offset/Limit 100 until TotalCount, mapping ids and names to filters", () =>
    Effect.gen(function* () {
      const { transport, seen } = scripted((call) => {
        const offset = call.params.Offset as number
        const total = 250
        const count = Math.max(0, Math.min(100, total - offset))
        return Effect.succeed({
          TotalCount: total,
          Clusters: Array.from({ length: count }, (_, i) => ({
            ClusterId: `cls-${String(offset + i).padStart(8, "0")}`,
            ClusterName: "web",
            ClusterStatus: "Running"
          }))
        })
      })
      const client = yield* clientWith(transport)
      const fiber = yield* Effect.fork(
        Stream.runCollect(client.listClusters({ regions: ["ap-guangzhou"], name: "web" }))
      )
      yield* TestClock.adjust(Duration.seconds(1))
      const all = yield* Fiber.join(fiber)
      expect(Chunk.size(all)).toBe(250)
      expect(seen.map((s) => s.call.params)).toEqual(
        [0, 100, 200].map((Offset) => ({ Offset, Limit: 100, Filters: [{ Name: "ClusterName", Values: ["web"] }] }))
      )
    })
  )

  it("maps every TKE ClusterStatus to a phase", () => {
    expect(phaseOf("Running")).toBe("running")
    expect(phaseOf("Creating")).toBe("creating")
    expect(phaseOf("Upgrading")).toBe("updating")
    expect(phaseOf("Abnormal")).toBe("abnormal")
    expect(phaseOf("Isolated")).toBe("abnormal")
    expect(phaseOf("Deleting")).toBe("deleting")
    expect(phaseOf("Idling")).toBe("other")
    expect(phaseOf("SomethingNew")).toBe("other")
  })
})
