/**
 * The committed bundle is what the runner runs: it must be byte for byte a fresh build of the sources (CI fails
 * otherwise), the build must be deterministic, and action.yml must point at it for both steps.
 */
import { spawnSync } from "node:child_process"
import * as fs from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { parse } from "yaml"
import { appDir, BUNDLE, removeTempDirs, tempDir } from "./runner.js"

const check = (file?: string) =>
  spawnSync(process.execPath, [join(appDir, "scripts", "build.mjs"), "--check", ...(file ? [file] : [])], {
    encoding: "utf8"
  })

describe("the committed bundle", () => {
  it("is a fresh build of the sources (run `pnpm --filter @kubecred/action bundle` and commit when not)", () => {
    const result = check()
    expect(result.stderr).toBe("")
    expect(result.status).toBe(0)
  })

  it("the check fails on a bundle that differs by one byte", () => {
    const copy = join(tempDir("bundle"), "index.cjs")
    const bytes = fs.readFileSync(BUNDLE)
    bytes[bytes.length - 2] = bytes[bytes.length - 2] === 0x3b ? 0x2c : 0x3b
    fs.writeFileSync(copy, bytes)
    const result = check(copy)
    expect(result.status).toBe(1)
    expect(result.stderr).toMatch(/differs from a fresh build/)
    removeTempDirs()
  })

  it("action.yml runs it on node24 for main and post, post always", () => {
    const action = parse(fs.readFileSync(join(appDir, "action.yml"), "utf8"))
    expect(action.runs).toEqual({
      using: "node24",
      main: "dist/index.cjs",
      post: "dist/index.cjs",
      "post-if": "always()"
    })
    expect(Object.keys(action.outputs).sort()).toEqual(["context", "expires-at", "kubeconfig"])
    // it runs on the Node this suite runs on (20 on this machine's CI)
    expect(Number(process.versions.node.split(".")[0])).toBeGreaterThanOrEqual(20)
  })
})
