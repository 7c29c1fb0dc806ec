/**
 * Bounded answers (core Policy AnswerBounds) against local fake cloud APIs that misbehave on purpose, on both
 * clouds: a listing whose total never ends, one that repeats a page, a body that claims 600 MB and one that
 * streams without end. Each stops with BoundExceeded: exit code 8 and one line. The real bundled CLI runs the
 * cases the default bounds reach quickly; the never-ending listing runs in process with a lowered page cap
 * (the default of 500 pages takes 25 s at the default pace) and is rendered by the CLI's own error edge.
 */
import { AnswerBounds, defaultAnswerBounds, ThrottlePolicy, defaultThrottlePolicy } from "@kubecred/core/Policy"
import type { Service } from "@kubecred/core/KubeconfigSource"
import * as AckClient from "@kubecred/alibaba/AckClient"
import * as TkeClient from "@kubecred/tencent/TkeClient"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import type * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import * as Http from "node:http"
import type { AddressInfo } from "node:net"
import { it as effectIt } from "@effect/vitest"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { renderFailure } from "../src/internal/errors.js"
import { ensureBuilt, removeTempDirs, runCli, tempDir } from "./helpers.js"

type Mode = "endless" | "repeat" | "slow" | "claims-600mb" | "streams"

interface Fake {
  readonly url: string
  /** Bytes of body written in streaming mode before the client went away. */
  streamed: number
  /** Whether the client dropped the streaming connection. */
  dropped: boolean
  readonly close: () => Promise<void>
}

const tkeCluster = (i: number) => ({
  ClusterId: `cls-${String(i).padStart(8, "0")}`,
  ClusterName: `c${i}`,
  ClusterStatus: "Running"
})
const ackCluster = (i: number) => ({
  cluster_id: `c${String(i).padStart(32, "0")}`,
  name: `c${i}`,
  region_id: "cn-hangzhou",
  state: "running"
})

const CHUNK = Buffer.alloc(1024 * 1024, "a")
const STREAM_CAP = 64 * 1024 * 1024

/** A fake TKE (POST, X-TC-Action) or ACK (GET /api/v1/clusters, /k8s/:id/user_config) API in one mode. */
const startFake = (cloud: "tke" | "ack", mode: Mode): Promise<Fake> =>
  new Promise((resolve) => {
    const fake: Fake = { url: "", streamed: 0, dropped: false, close: async () => {} }
    const server = Http.createServer((req, res) => {
      const url = new URL(req.url ?? "/", "http://x")
      const listing =
        cloud === "tke" ? req.headers["x-tc-action"] === "DescribeClusters" : url.pathname === "/api/v1/clusters"
      if (listing) {
        let body = ""
        req.on("data", (d: Buffer) => {
          body += d
        })
        req.on("end", () => {
          // the page asked for, 0-based
          const n =
            cloud === "tke"
              ? Number((JSON.parse(body || "{}") as { Offset?: number }).Offset ?? 0) / 100
              : Number(url.searchParams.get("page_number") ?? "1") - 1
          const start = mode === "repeat" ? 0 : n * 100
          const ids = Array.from({ length: 100 }, (_, i) => start + i)
          const answer =
            cloud === "tke"
              ? { Response: { TotalCount: 1_000_000_000, Clusters: ids.map(tkeCluster), RequestId: `req-${n}` } }
              : {
                  clusters: ids.map(ackCluster),
                  page_info: { page_number: n + 1, page_size: 100, total_count: 1_000_000_000 }
                }
          const send = () => {
            res.writeHead(200, { "content-type": "application/json" })
            res.end(JSON.stringify(answer))
          }
          if (mode === "slow") setTimeout(send, 100)
          else send()
        })
        return
      }
      // TKE `list` asks each cluster's endpoints: a small, valid answer
      if (cloud === "tke" && req.headers["x-tc-action"] === "DescribeClusterEndpoints") {
        req.resume()
        res.writeHead(200, { "content-type": "application/json" })
        res.end(
          JSON.stringify({ Response: { ClusterExternalEndpoint: "", ClusterIntranetEndpoint: "", RequestId: "e" } })
        )
        return
      }
      // the kubeconfig call
      req.resume()
      if (mode === "claims-600mb") {
        res.writeHead(200, { "content-type": "application/json", "content-length": String(600 * 1024 * 1024) })
        res.write('{"Response":{"Kubeconfig":"')
        return // never finishes: the client must not wait for 600 MB
      }
      res.writeHead(200, { "content-type": "application/json" })
      res.on("close", () => {
        fake.dropped = !res.writableFinished
      })
      const pump = () => {
        while (fake.streamed < STREAM_CAP) {
          fake.streamed += CHUNK.length
          if (!res.write(CHUNK)) return void res.once("drain", pump)
        }
        res.end()
      }
      pump()
    })
    server.listen(0, "127.0.0.1", () => {
      Object.assign(fake, {
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections()
            server.close(() => done())
          })
      })
      resolve(fake)
    })
  })

const env = (home: string) => ({
  PATH: process.env.PATH,
  HOME: home,
  NO_COLOR: "1",
  KUBECRED_CACHE_DIR: `${home}/cache`,
  KUBECRED_RETRIES: "1",
  TENCENTCLOUD_SECRET_ID: "AKIDfake",
  TENCENTCLOUD_SECRET_KEY: "fake-secret-key",
  ALIBABA_CLOUD_ACCESS_KEY_ID: "LTAIfake",
  ALIBABA_CLOUD_ACCESS_KEY_SECRET: "fake-secret-key"
})

const oneLine = (stderr: string) => {
  expect(stderr.trimEnd().split("\n")).toHaveLength(1)
  expect(stderr).toMatch(/^kubecred: .+ \(hint: .+\)\n$/)
}

const clouds = [
  { cloud: "tke", region: "ap-guangzhou", clusterId: "cls-abcd1234" },
  { cloud: "ack", region: "cn-hangzhou", clusterId: `c${"a".repeat(32)}` }
] as const

beforeAll(() => ensureBuilt())
afterAll(() => removeTempDirs())

describe("bounded answers through the bundled CLI", () => {
  for (const { cloud, region, clusterId } of clouds) {
    it(`${cloud}: a listing that repeats its page stops at the repeat: exit 8, one line`, async () => {
      const fake = await startFake(cloud, "repeat")
      try {
        const out = await runCli(
          ["list", cloud, "--region", region, "--api-endpoint", fake.url],
          env(tempDir("bounds"))
        )
        expect(out.code).toBe(8)
        oneLine(out.stderr)
        expect(out.stderr).toContain("repeats clusters already listed")
      } finally {
        await fake.close()
      }
    })

    it(`${cloud}: a body claiming 600 MB is refused unread: exit 8, one line`, async () => {
      const fake = await startFake(cloud, "claims-600mb")
      try {
        const out = await runCli(
          ["get", cloud, clusterId, "--region", region, "--api-endpoint", fake.url],
          env(tempDir("bounds"))
        )
        expect(out.code).toBe(8)
        oneLine(out.stderr)
        expect(out.stderr).toContain("announces 629145600 bytes")
      } finally {
        await fake.close()
      }
    })

    it(`${cloud}: a body streaming without end is cut off past the limit: exit 8, one line`, async () => {
      const fake = await startFake(cloud, "streams")
      try {
        const out = await runCli(
          ["get", cloud, clusterId, "--region", region, "--api-endpoint", fake.url],
          env(tempDir("bounds"))
        )
        expect(out.code).toBe(8)
        oneLine(out.stderr)
        expect(out.stderr).toContain(`larger than ${defaultAnswerBounds.maxBodyBytes} bytes`)
        // the client hung up long before the server would have stopped
        expect(fake.streamed).toBeLessThan(STREAM_CAP)
      } finally {
        await fake.close()
      }
    })
  }
})

const sourceFor = (cloud: "tke" | "ack", endpoint: string): Effect.Effect<Service, never, Scope.Scope> =>
  cloud === "tke"
    ? TkeClient.scoped({
        env: {},
        home: "/nonexistent",
        endpoint,
        credentials: { secretId: "AKIDfake", secretKey: Redacted.make("fake-secret-key") }
      })
    : AckClient.scoped({
        env: {},
        home: "/nonexistent",
        endpoint,
        credentials: { accessKeyId: "LTAIfake", accessKeySecret: Redacted.make("fake-secret-key") }
      })

const fakeServer = (cloud: "tke" | "ack", mode: Mode) =>
  Effect.acquireRelease(
    Effect.promise(() => startFake(cloud, mode)),
    (fake) => Effect.promise(() => fake.close())
  )

// live clock: the listing-time bound is measured against a real server
describe("bounded listings rendered by the CLI's error edge", () => {
  for (const { cloud, region } of clouds) {
    for (const [mode, bounds, bound] of [
      ["endless", { ...defaultAnswerBounds, maxPages: 5 }, "pages"],
      ["slow", { ...defaultAnswerBounds, maxPages: 10_000, maxListingTime: Duration.millis(800) }, "listing-time"]
    ] as const) {
      effectIt.scopedLive(
        `${cloud}: a listing whose total never ends (${mode}) is BoundExceeded(${bound}): exit 8, one line`,
        () =>
          Effect.gen(function* () {
            const fake = yield* fakeServer(cloud, mode)
            const source = yield* sourceFor(cloud, fake.url)
            const error = yield* Effect.flip(Stream.runDrain(source.listClusters({ regions: [region] })))
            expect(error).toMatchObject({ _tag: "BoundExceeded", bound })
            const rendered = renderFailure(error)
            expect(rendered.code).toBe(8)
            oneLine(`${rendered.line}\n`)
          }).pipe(
            Effect.provideService(AnswerBounds, bounds),
            Effect.provideService(ThrottlePolicy, {
              ...defaultThrottlePolicy,
              requestsPerSecond: { tencent: 1000, alibaba: 1000 }
            })
          )
      )
    }
  }
})
