#!/usr/bin/env node
// Signed and verified requests per second against the mock cloud on loopback, next to Prism's own mock of the same
// contract (mocks/contracts) in the same run. Prints medians and ratios; never fails on a time.
//
//   pnpm --filter @kubecred/bench run mock          (builds mocks/server/dist first)
//   BENCH_SECONDS=3 BENCH_RUNS=5 BENCH_CONCURRENCY=16 node bench/mock.mjs
//
// Every request is signed here, per request (fresh timestamp / nonce): TC3-HMAC-SHA256 for TKE, ACS3-HMAC-SHA256
// for ACK. The mock verifies each signature (and remembers nonces); Prism checks the request against the contract
// and answers with the contract's example. Only 200 answers with the expected body count as successes.
// The mock (its bundled bin) and Prism (in-process servers, silent logger) each run in a child process of their
// own; the load generator runs here.
import { createHash, createHmac, randomBytes } from "node:crypto"
import { spawn } from "node:child_process"
import { mkdtemp, readFile, rm } from "node:fs/promises"
import * as http from "node:http"
import { join } from "node:path"
import { cpus, loadavg, tmpdir } from "node:os"
import { fileURLToPath } from "node:url"
import { getHttpOperationsFromSpec } from "@stoplight/prism-http"
import { createServer } from "@stoplight/prism-http-server"
import { createLogger } from "@stoplight/prism-core"
import { startTencentRouter } from "../mocks/contracts/prism/tencentRouter.mjs"

const SECONDS = Number(process.env.BENCH_SECONDS ?? 2)
const RUNS = Number(process.env.BENCH_RUNS ?? 3)
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16)
const contract = (name) => fileURLToPath(new URL(`../mocks/contracts/${name}`, import.meta.url))

const sha256 = (data) => createHash("sha256").update(data).digest("hex")
const hmac = (key, data) => createHmac("sha256", key).update(data).digest()

/** TC3-HMAC-SHA256, as tencentcloud-sdk-nodejs signs (content-type;host, host without port). */
const signTencent = ({ secretId, secretKey, token }, action, body, region = "ap-guangzhou") => {
  const timestamp = Math.floor(Date.now() / 1000)
  const date = new Date(timestamp * 1000).toISOString().slice(0, 10)
  const canonical = `POST\n/\n\ncontent-type:application/json\nhost:127.0.0.1\n\ncontent-type;host\n${sha256(body)}`
  const scope = `${date}/tke/tc3_request`
  const toSign = `TC3-HMAC-SHA256\n${timestamp}\n${scope}\n${sha256(canonical)}`
  const signing = hmac(hmac(hmac(`TC3${secretKey}`, date), "tke"), "tc3_request")
  const signature = createHmac("sha256", signing).update(toSign).digest("hex")
  return {
    "content-type": "application/json",
    "x-tc-action": action,
    "x-tc-region": region,
    "x-tc-timestamp": String(timestamp),
    "x-tc-version": "2018-05-25",
    ...(token ? { "x-tc-token": token } : {}),
    authorization: `TC3-HMAC-SHA256 Credential=${secretId}/${scope}, SignedHeaders=content-type;host, Signature=${signature}`
  }
}

const rfc3986 = (v) =>
  encodeURIComponent(v).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)

/** ACS3-HMAC-SHA256, as @alicloud/openapi-core signs (host with port, every x-acs-* header). */
const signAlibaba = ({ accessKeyId, accessKeySecret }, host, action, path, query) => {
  const headers = {
    host,
    "x-acs-action": action,
    "x-acs-content-sha256": sha256(""),
    "x-acs-date": new Date().toISOString().replace(/\.\d{3}Z$/, "Z"),
    "x-acs-signature-nonce": randomBytes(32).toString("hex"),
    "x-acs-version": "2015-12-15"
  }
  const names = Object.keys(headers).sort()
  const canonicalQuery = Object.keys(query)
    .sort()
    .map((k) => `${rfc3986(k)}=${rfc3986(query[k])}`)
    .join("&")
  const canonical = [
    "GET",
    path,
    canonicalQuery,
    names.map((n) => `${n}:${headers[n]}\n`).join(""),
    names.join(";"),
    headers["x-acs-content-sha256"]
  ].join("\n")
  const signature = createHmac("sha256", accessKeySecret)
    .update(`ACS3-HMAC-SHA256\n${sha256(canonical)}`)
    .digest("hex")
  return {
    ...headers,
    accept: "application/json",
    authorization: `ACS3-HMAC-SHA256 Credential=${accessKeyId},SignedHeaders=${names.join(";")},Signature=${signature}`
  }
}

const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY })

const send = (base, { method, path, headers, body }) =>
  new Promise((resolve) => {
    const url = new URL(path, base)
    const req = http.request(
      { host: url.hostname, port: url.port, method, path: url.pathname + url.search, headers, agent },
      (res) => {
        const chunks = []
        res.on("data", (c) => chunks.push(c))
        res.on("end", () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString("utf8") }))
      }
    )
    req.on("error", () => resolve({ status: 0, body: "" }))
    req.end(body)
  })

/** Closed-loop load: CONCURRENCY workers, each sending the next freshly signed request when the last one answers. */
const measure = async (base, makeRequest, ok) => {
  let good = 0
  let bad = 0
  let firstBad
  const deadline = performance.now() + SECONDS * 1000
  const worker = async () => {
    while (performance.now() < deadline) {
      const response = await send(base, makeRequest())
      if (ok(response)) good++
      else {
        bad++
        firstBad ??= `${response.status} ${response.body.slice(0, 200)}`
      }
    }
  }
  const started = performance.now()
  await Promise.all(Array.from({ length: CONCURRENCY }, worker))
  const elapsed = (performance.now() - started) / 1000
  return { rps: good / elapsed, bad, firstBad }
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

/** Child mode: Prism's own mocks of both contracts, in process, silent; prints their URLs. */
const servePrism = async () => {
  const logger = createLogger("BENCH", { level: "silent" })
  const tke = await startTencentRouter({ spec: contract("tencent-tke.yaml"), resolveFrom: import.meta.url })
  const operations = await getHttpOperationsFromSpec(contract("alibaba-ack.yaml"))
  const ack = createServer(operations, {
    cors: false,
    config: {
      validateRequest: true,
      validateResponse: true,
      checkSecurity: true,
      errors: false,
      upstreamProxy: undefined,
      mock: { dynamic: false },
      isProxy: false
    },
    components: { logger }
  })
  const ackUrl = await ack.listen(0, "127.0.0.1")
  process.stdout.write(`${JSON.stringify({ tencent: tke.url, alibaba: ackUrl })}\n`)
}

const child = (args, onLine) =>
  new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "inherit"] })
    let buffer = ""
    proc.stdout.on("data", (chunk) => {
      buffer += chunk
      const line = buffer.split("\n")[0]
      if (buffer.includes("\n")) {
        Promise.resolve(onLine(line)).then((value) => resolve({ proc, value }), reject)
      }
    })
    proc.on("exit", (code) => reject(new Error(`${args.join(" ")} exited with ${code}`)))
  })

const startMock = async () => {
  const dir = await mkdtemp(join(tmpdir(), "bench-mock-"))
  const readyFile = join(dir, "ready.json")
  const bin = fileURLToPath(new URL("../mocks/server/dist/bin.js", import.meta.url))
  const { proc } = await child([bin, "--ready-file", readyFile], () => undefined)
  const ready = JSON.parse(await readFile(readyFile, "utf8"))
  await rm(dir, { recursive: true, force: true })
  for (const provider of ["tencent", "alibaba"]) {
    await fetch(`${ready.control}/rate-limit`, { method: "PUT", body: JSON.stringify({ provider, perSecond: 1e9 }) })
  }
  return { proc, cloud: ready }
}

const main = async () => {
  const { proc: mockProc, cloud } = await startMock()
  const { proc: prismProc, value: prism } = await child([fileURLToPath(import.meta.url), "--serve-prism"], JSON.parse)
  const tkePrism = { url: prism.tencent }
  const ackPrism = prism.alibaba

  const tkeCluster = cloud.tencent.clusters.find((c) => c.status === "Running").clusterId
  const ackCluster = cloud.alibaba.clusters.find((c) => c.state === "running").clusterId
  const tencentRequest = (action, params) => () => {
    const body = JSON.stringify(params)
    return { method: "POST", path: "/", headers: signTencent(cloud.tencent, action, body), body }
  }
  const alibabaRequest = (base, action, path, query) => () => {
    const host = new URL(base).host
    const search = new URLSearchParams(query).toString()
    return {
      method: "GET",
      path: search ? `${path}?${search}` : path,
      headers: signAlibaba(cloud.alibaba, host, action, path, query)
    }
  }
  const tencentOk = (field) => (r) => r.status === 200 && JSON.parse(r.body).Response?.[field] !== undefined
  const alibabaOk = (field) => (r) => r.status === 200 && JSON.parse(r.body)[field] !== undefined

  const cases = [
    {
      name: "TKE DescribeClusterKubeconfig",
      mock: [
        cloud.tencent.endpoint,
        () => tencentRequest("DescribeClusterKubeconfig", { ClusterId: tkeCluster, IsExtranet: true })
      ],
      prism: [
        tkePrism.url,
        () => tencentRequest("DescribeClusterKubeconfig", { ClusterId: tkeCluster, IsExtranet: true })
      ],
      ok: tencentOk("Kubeconfig")
    },
    {
      name: "TKE DescribeClusters (Limit 20)",
      mock: [cloud.tencent.endpoint, () => tencentRequest("DescribeClusters", { Limit: 20 })],
      prism: [tkePrism.url, () => tencentRequest("DescribeClusters", { Limit: 20 })],
      ok: tencentOk("TotalCount")
    },
    {
      name: "ACK DescribeClusterUserKubeconfig",
      mock: [
        cloud.alibaba.endpoint,
        (base) => alibabaRequest(base, "DescribeClusterUserKubeconfig", `/k8s/${ackCluster}/user_config`, {})
      ],
      prism: [
        ackPrism,
        (base) => alibabaRequest(base, "DescribeClusterUserKubeconfig", `/k8s/${ackCluster}/user_config`, {})
      ],
      ok: alibabaOk("config")
    },
    {
      name: "ACK DescribeClustersV1 (page_size 10)",
      mock: [
        cloud.alibaba.endpoint,
        (base) => alibabaRequest(base, "DescribeClustersV1", "/api/v1/clusters", { page_size: "10" })
      ],
      prism: [ackPrism, (base) => alibabaRequest(base, "DescribeClustersV1", "/api/v1/clusters", { page_size: "10" })],
      ok: alibabaOk("page_info")
    }
  ]

  console.log(
    `bench/mock: node ${process.version}, ${cpus().length} CPUs, ${CONCURRENCY} connections, ${RUNS} runs x ${SECONDS}s per target; servers in child processes; load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")}`
  )
  const rows = []
  try {
    for (const c of cases) {
      // One warm-up per target (first certificates, JIT), not counted.
      for (const [base, make] of [c.mock, c.prism]) await send(base, make(base)())
      const mockRuns = []
      const prismRuns = []
      let mockBad = 0
      let prismBad = 0
      let note
      for (let run = 0; run < RUNS; run++) {
        // Alternate targets so drift in machine load hits both.
        const m = await measure(c.mock[0], c.mock[1](c.mock[0]), c.ok)
        const p = await measure(c.prism[0], c.prism[1](c.prism[0]), c.ok)
        mockRuns.push(m.rps)
        prismRuns.push(p.rps)
        mockBad += m.bad
        prismBad += p.bad
        note ??= m.firstBad ?? p.firstBad
      }
      rows.push({
        name: c.name,
        mock: median(mockRuns),
        prism: median(prismRuns),
        mockRuns,
        prismRuns,
        mockBad,
        prismBad,
        note
      })
    }
  } finally {
    agent.destroy()
    mockProc.kill("SIGTERM")
    prismProc.kill("SIGTERM")
  }

  const fmt = (n) => Math.round(n).toLocaleString("en-US")
  console.log("")
  console.log(
    "| operation | mock (signed + verified) req/s | Prism mock req/s | mock / Prism | runs (mock ; Prism) | non-200 (mock / Prism) |"
  )
  console.log("|---|---:|---:|---:|---|---:|")
  for (const r of rows) {
    console.log(
      `| ${r.name} | ${fmt(r.mock)} | ${fmt(r.prism)} | ${(r.mock / r.prism).toFixed(2)} | ${r.mockRuns.map(fmt).join(", ")} ; ${r.prismRuns.map(fmt).join(", ")} | ${r.mockBad} / ${r.prismBad} |`
    )
    if (r.note) console.log(`  first unexpected answer: ${r.note}`)
  }
}

;(process.argv.includes("--serve-prism") ? servePrism() : main()).catch((error) => {
  console.error(error)
  process.exitCode = 1
})
