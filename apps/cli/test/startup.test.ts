/**
 * What a start of the bundled CLI leaves out (docs/decisions.md, "Start-up"): `add` never reads process.stdin (a
 * preload records any read of the getter, which on a pipe builds a socket), no call carries a traceparent
 * (nothing exports the CLI's spans, so it makes none), and node:https is loaded only for an https:// endpoint.
 */
import * as fs from "node:fs"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type FakeCloud, startFakeCloud } from "./fixtures/fakeCloud.js"
import { ACK, answer, fakeEnv, TKE } from "./fixtures/hostile.js"
import type { MockCloud } from "@kubecred/mock-cloud"
import { cliEnv, ensureBuilt, removeTempDirs, runCli, startMock, tempDir } from "./helpers.js"

let fake: FakeCloud
let mock: MockCloud
beforeAll(async () => {
  ensureBuilt()
  fake = await startFakeCloud()
  mock = await startMock()
})
afterAll(async () => {
  await fake?.close()
  await mock?.stop()
  removeTempDirs()
})

/** A preload writing the node built-ins the run loaded (process.moduleLoadList) to `file` at exit. */
const builtinsProbe = (home: string, file: string) => {
  const probe = join(home, "builtins.cjs")
  fs.writeFileSync(
    probe,
    `process.on("exit", () => require("node:fs").writeFileSync(${JSON.stringify(file)}, process.moduleLoadList.join("\\n")))\n`
  )
  return probe
}

describe("a start of the bundled CLI", () => {
  it("add reads no stdin and sends no traceparent, for both providers", async () => {
    fake.kubeconfig = answer()
    for (const target of [TKE, ACK]) {
      const home = tempDir("startup")
      const probe = join(home, "probe.cjs")
      const marker = join(home, "stdin-read")
      fs.writeFileSync(
        probe,
        `const d = Object.getOwnPropertyDescriptor(process, "stdin")
Object.defineProperty(process, "stdin", { configurable: true, get() { require("node:fs").writeFileSync(${JSON.stringify(marker)}, "read"); return d.get.call(process) } })
`
      )
      const seen = fake.headers.length
      const env = { ...fakeEnv(fake.endpoint, home), NODE_OPTIONS: `--require ${probe}` }
      const ran = await runCli(["add", target.provider, target.id, "--region", target.region], env)
      expect(ran.code, ran.stderr).toBe(0)
      expect(fs.existsSync(join(home, ".kube", "config"))).toBe(true)
      expect(fs.existsSync(marker), `${target.provider}: stdin was read`).toBe(false)
      const sent = fake.headers.slice(seen)
      expect(sent.length).toBeGreaterThan(0)
      for (const headers of sent) expect(Object.keys(headers)).not.toContain("traceparent")
    }
  })

  it("loads node:https (and TLS) only when the endpoint is https://", async () => {
    const tke = mock.tencent.clusters.find((c) => c.status === "Running")!
    for (const secure of [false, true]) {
      const home = tempDir("https")
      const loaded = join(home, "builtins.txt")
      const endpoint = secure ? mock.https : mock.tencent.endpoint
      const env = cliEnv(mock, home, {
        KUBECRED_TKE_ENDPOINT: endpoint,
        NODE_EXTRA_CA_CERTS: mock.caFile,
        NODE_OPTIONS: `--require ${builtinsProbe(home, loaded)}`
      })
      const ran = await runCli(["add", "tke", tke.clusterId, "--region", tke.region], env)
      expect(ran.code, ran.stderr).toBe(0)
      const builtins = fs.readFileSync(loaded, "utf8").split("\n")
      expect(builtins.includes("NativeModule https"), `${endpoint}: node:https loaded`).toBe(secure)
      expect(builtins.includes("NativeModule tls"), `${endpoint}: node:tls loaded`).toBe(secure)
    }
  })
})
