/**
 * bench/bulk: list and fetch 2,000 TKE clusters of one account against the mock cloud with its TKE limit at
 * 200/s; wall time against the ideal (requests ÷ limit) for kubecred's http transport, its sdk transport and a
 * naive Promise.all over the official SDK, side by side. Goal: ≥ 0.95 of the limit used, zero failures.
 * Prints; never fails on a time. Run with `npx pnpm@9.15.9 --filter @kubecred/bench run bulk` (bench/README.md).
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { ThrottlePolicy, defaultThrottlePolicy } from "@kubecred/core/Policy"
import * as TkeClient from "@kubecred/tencent/TkeClient"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Stream from "effect/Stream"
import { type ChildProcess, spawn } from "node:child_process"
import { existsSync } from "node:fs"
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises"
import * as Http from "node:http"
import { cpus, loadavg, tmpdir } from "node:os"
import { join } from "node:path"
import * as tencentcloud from "tencentcloud-sdk-nodejs-tke"

const CLUSTERS = Number(process.env.BULK_CLUSTERS ?? 2000)
const LIMIT = Number(process.env.BULK_LIMIT ?? 200)
const REGION = "ap-guangzhou"
const MOCK_BIN = process.env.BULK_MOCK_BIN ?? ""
const KUBECONFIG = "DescribeClusterKubeconfig"
const LIST = "DescribeClusters"

interface Ready {
  readonly tencent: { readonly endpoint: string; readonly secretId: string; readonly secretKey: string }
  readonly control: string
}

interface Row {
  readonly method: string
  readonly listed: number
  readonly fetched: number
  readonly failed: number
  readonly failures: string
  readonly requests: number
  readonly seconds: number
  /** CPU seconds this process (the client) and the mock's process spent during the run. */
  readonly clientCpu: number
  readonly mockCpu: number | undefined
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** utime + stime of a process in seconds (Linux /proc), when available. */
const processCpu = async (pid: number | undefined): Promise<number | undefined> => {
  if (pid === undefined) return undefined
  try {
    const stat = await readFile(`/proc/${pid}/stat`, "utf8")
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ")
    return (Number(fields[11]) + Number(fields[12])) / 100
  } catch {
    return undefined
  }
}

const control = async (ready: Ready, method: string, path: string, body?: unknown): Promise<any> => {
  const response = await fetch(`${ready.control}${path}`, {
    method,
    ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { "content-type": "application/json" } })
  })
  if (!response.ok) throw new Error(`control ${method} ${path}: HTTP ${response.status}`)
  return response.json()
}

const requestCount = async (ready: Ready): Promise<number> => {
  const stats = (await control(ready, "GET", "/stats")) as { requests: Record<string, number> }
  return (stats.requests[`tencent:${KUBECONFIG}`] ?? 0) + (stats.requests[`tencent:${LIST}`] ?? 0)
}

/** The mock in a process of its own, so its CPU never competes with the client's event loop. */
const startMock = async (work: string): Promise<{ ready: Ready; child: ChildProcess }> => {
  const fixtures = join(work, "fixtures.json")
  const clusters = Array.from({ length: CLUSTERS }, (_, i) => ({
    clusterId: `cls-b${String(i).padStart(7, "0")}`,
    region: REGION,
    name: `bulk-${i}`,
    status: "Running"
  }))
  await writeFile(fixtures, JSON.stringify({ tencent: { clusters }, alibaba: { clusters: [] } }))
  const readyFile = join(work, "ready.json")
  const child = spawn(process.execPath, [MOCK_BIN, "--fixtures", fixtures, "--ready-file", readyFile], {
    stdio: ["ignore", "ignore", "inherit"]
  })
  const deadline = Date.now() + 30_000
  while (!existsSync(readyFile)) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error("the mock cloud did not start")
    await sleep(50)
  }
  const ready = JSON.parse(await readFile(readyFile, "utf8")) as Ready
  await control(ready, "PUT", "/rate-limit", { provider: "tencent", perSecond: LIMIT })
  return { ready, child }
}

/** kubecred: listClusters (every page) then fetch each, paced at the limit × headroom, retried if need be. */
const viaKubecred = (ready: Ready, transport: "http" | "sdk") =>
  Effect.gen(function* () {
    const client = yield* TkeClient.TkeClient
    const started = performance.now()
    const listed = Chunk.toReadonlyArray(yield* Stream.runCollect(client.listClusters({ regions: [REGION] })))
    const results = yield* Effect.forEach(
      listed,
      (cluster) =>
        Effect.either(
          client.fetch({
            _tag: "tencent",
            region: cluster.region as never,
            clusterId: cluster.clusterId as never,
            endpoint: "public"
          })
        ),
      // The pacer sets the rate; concurrency only has to cover the latency (256 slots ≈ 1.3 s of work at 194/s).
      { concurrency: 256 }
    )
    const seconds = (performance.now() - started) / 1000
    const failures = results.flatMap((r) => (r._tag === "Left" ? [r.left._tag] : []))
    return { listed: listed.length, fetched: results.length - failures.length, failures, seconds }
  }).pipe(
    Effect.provideService(ThrottlePolicy, {
      ...defaultThrottlePolicy,
      requestsPerSecond: { ...defaultThrottlePolicy.requestsPerSecond, tencent: LIMIT }
    }),
    Effect.provide(
      TkeClient.layer({
        transport,
        endpoint: ready.tencent.endpoint,
        credentials: { secretId: ready.tencent.secretId, secretKey: Redacted.make(ready.tencent.secretKey) },
        env: {}
      }).pipe(Layer.provide(NodeHttpClient.layer))
    )
  )

/** What a program without kubecred does: page through the listing, then Promise.all every fetch. */
const naive = async (ready: Ready) => {
  const url = new URL(ready.tencent.endpoint)
  const client = new tencentcloud.tke.v20180525.Client({
    credential: { secretId: ready.tencent.secretId, secretKey: ready.tencent.secretKey },
    region: REGION,
    profile: { httpProfile: { endpoint: url.host, protocol: "http://", agent: new Http.Agent({ keepAlive: true }) } }
  })
  const started = performance.now()
  const ids: Array<string> = []
  const failures: Array<string> = []
  for (let offset = 0; ; offset += 100) {
    try {
      const page = await client.DescribeClusters({ Offset: offset, Limit: 100 })
      ids.push(...(page.Clusters ?? []).map((c) => c.ClusterId!))
      if (!page.Clusters?.length || ids.length >= (page.TotalCount ?? 0)) break
    } catch (error) {
      failures.push(`list:${(error as { code?: string }).code ?? "error"}`)
      break
    }
  }
  const settled = await Promise.allSettled(
    ids.map((id) => client.DescribeClusterKubeconfig({ ClusterId: id, IsExtranet: true }))
  )
  const seconds = (performance.now() - started) / 1000
  for (const s of settled) if (s.status === "rejected") failures.push((s.reason as { code?: string }).code ?? "error")
  return { listed: ids.length, fetched: settled.length - failures.length, failures, seconds }
}

const summarize = (failures: ReadonlyArray<string>) => {
  const counts = new Map<string, number>()
  for (const f of failures) counts.set(f, (counts.get(f) ?? 0) + 1)
  return [...counts].map(([code, n]) => `${n}× ${code}`).join(", ") || "-"
}

const measure = async (
  ready: Ready,
  mockPid: number | undefined,
  method: string,
  run: () => Promise<{ listed: number; fetched: number; failures: ReadonlyArray<string>; seconds: number }>
): Promise<Row> => {
  await sleep(1100) // a fresh rate window
  const before = await requestCount(ready)
  const mockBefore = await processCpu(mockPid)
  const cpuBefore = process.cpuUsage()
  const result = await run()
  const cpu = process.cpuUsage(cpuBefore)
  const mockAfter = await processCpu(mockPid)
  const requests = (await requestCount(ready)) - before
  return {
    method,
    listed: result.listed,
    fetched: result.fetched,
    failed: result.failures.length,
    failures: summarize(result.failures),
    requests,
    seconds: result.seconds,
    clientCpu: (cpu.user + cpu.system) / 1e6,
    mockCpu: mockBefore === undefined || mockAfter === undefined ? undefined : mockAfter - mockBefore
  }
}

const main = async () => {
  if (!MOCK_BIN || !existsSync(MOCK_BIN)) throw new Error("BULK_MOCK_BIN must point at the built mock bin")
  const work = await mkdtemp(join(tmpdir(), "kubecred-bulk-"))
  const { ready, child } = await startMock(work)
  try {
    const pages = Math.ceil(CLUSTERS / 100)
    const ideal = (pages + CLUSTERS) / LIMIT
    console.log(
      `bench/bulk: ${CLUSTERS} clusters (${pages} list pages + ${CLUSTERS} kubeconfigs), mock TKE limit ${LIMIT}/s per action; ideal ${ideal.toFixed(2)} s; ${cpus().length} CPUs, load ${loadavg()
        .map((l) => l.toFixed(1))
        .join(" ")}`
    )
    // Warm-up (not measured): the mock issues each cluster's client certificate on its first fetch.
    const warm = await measure(ready, child.pid, "warm-up (http)", () => Effect.runPromise(viaKubecred(ready, "http")))
    console.log(`warm-up: ${warm.fetched} fetched in ${warm.seconds.toFixed(2)} s, ${warm.failed} failed`)
    const methods = (process.env.BULK_METHODS ?? "http,sdk,naive").split(",")
    const rows: Array<Row> = []
    if (methods.includes("http")) {
      rows.push(await measure(ready, child.pid, "kubecred http", () => Effect.runPromise(viaKubecred(ready, "http"))))
    }
    if (methods.includes("sdk")) {
      rows.push(await measure(ready, child.pid, "kubecred sdk", () => Effect.runPromise(viaKubecred(ready, "sdk"))))
    }
    if (methods.includes("naive")) {
      rows.push(await measure(ready, child.pid, "naive Promise.all (official SDK)", () => naive(ready)))
    }
    const header = [
      "method",
      "listed",
      "fetched",
      "failed",
      "requests",
      "wall s",
      "ideal s",
      "limit used",
      "client cpu ms/req",
      "mock cpu ms/req",
      "failures"
    ]
    const table = rows.map((r) => {
      // share of the limit used: successful requests per second against the limit
      const useful = (r.fetched + (r.listed > 0 ? pages : 0)) / LIMIT
      return [
        r.method,
        String(r.listed),
        String(r.fetched),
        String(r.failed),
        String(r.requests),
        r.seconds.toFixed(2),
        ideal.toFixed(2),
        (useful / r.seconds).toFixed(3),
        ((r.clientCpu * 1000) / r.requests).toFixed(2),
        r.mockCpu === undefined ? "-" : ((r.mockCpu * 1000) / r.requests).toFixed(2),
        r.failures
      ]
    })
    const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i]!.length)))
    const line = (cells: ReadonlyArray<string>) => cells.map((c, i) => c.padEnd(widths[i]!)).join("  ")
    console.log(line(header))
    for (const row of table) console.log(line(row))
    console.log(
      "limit used = (successful requests ÷ limit) ÷ wall; kubecred paces at limit × 0.97 headroom, so 0.97 is its ceiling."
    )
    console.log(
      `cpu ms/req: at ${LIMIT}/s a side needs ${(1000 / LIMIT).toFixed(1)} ms of one core per request at most; above that (or on a loaded machine) the limit cannot be reached.`
    )
  } finally {
    child.kill("SIGTERM")
    await rm(work, { recursive: true, force: true })
  }
}

main().catch((error) => {
  console.error(error)
  process.exitCode = 1
})
