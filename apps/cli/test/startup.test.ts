/**
 * What a start of the bundled CLI leaves out (docs/decisions.md, "Start-up"): `add` never reads process.stdin (a
 * preload records any read of the getter, which on a pipe builds a socket), and no call carries a traceparent
 * (nothing exports the CLI's spans, so it makes none).
 */
import * as fs from "node:fs"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type FakeCloud, startFakeCloud } from "./fixtures/fakeCloud.js"
import { ACK, answer, fakeEnv, TKE } from "./fixtures/hostile.js"
import { ensureBuilt, removeTempDirs, runCli, tempDir } from "./helpers.js"

let fake: FakeCloud
beforeAll(async () => {
  ensureBuilt()
  fake = await startFakeCloud()
})
afterAll(async () => {
  await fake?.close()
  removeTempDirs()
})

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
})
