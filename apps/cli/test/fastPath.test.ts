/**
 * The `kubecred credential` fast path stays small and free of Effect: the bundled entry (dist/kubecred.cjs)
 * is built from dependency-free modules only (no file from node_modules), under a size budget, and requires nothing but
 * node built-ins until it hands over to main.cjs. (biome's noRestrictedImports guards the same files.)
 */
import * as fs from "node:fs"
import { join } from "node:path"
import { beforeAll, describe, expect, it } from "vitest"
import { CLI, ensureBuilt } from "./helpers.js"

const dist = join(CLI, "..")
/** Today about 7.5 KiB; the budget leaves room, not for a library. */
const BUDGET_BYTES = 16 * 1024

beforeAll(() => ensureBuilt())

describe("the credential fast path", () => {
  it("is a small CommonJS entry built from dependency-free modules only", () => {
    const meta = JSON.parse(fs.readFileSync(join(dist, "meta.json"), "utf8")) as {
      outputs: Record<string, { bytes: number; inputs: Record<string, unknown> }>
    }
    const [, entry] = Object.entries(meta.outputs).find(([file]) => file.endsWith("kubecred.cjs"))!
    const inputs = Object.keys(entry.inputs)
    expect(inputs).toEqual(
      expect.arrayContaining(["src/bin.ts", "src/internal/credentialFast.ts", "src/internal/credentialCache.ts"])
    )
    for (const input of inputs) {
      expect(input, input).not.toContain("node_modules")
      // a workspace module may join (a provider's environment names), if it imports no library either
      const source = fs.readFileSync(join(dist, "..", input), "utf8")
      expect(source, input).not.toMatch(/from "(effect|@effect\/|yaml)/)
    }
    expect(entry.bytes).toBeLessThanOrEqual(BUDGET_BYTES)
    expect(fs.statSync(CLI).size).toBeLessThanOrEqual(BUDGET_BYTES + 64)
  })

  it("requires node built-ins only, and main.cjs through the code cache", () => {
    const text = fs.readFileSync(CLI, "utf8")
    expect(text.startsWith("#!/usr/bin/env node\n")).toBe(true)
    const required = [...text.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]!)
    expect(required.length).toBeGreaterThan(0)
    for (const name of required) expect(name, name).toMatch(/^node:/)
    expect(text).not.toMatch(/effect\/|@effect|FiberRuntime/)
    expect(text).toContain("main.cjs")
  })
})
