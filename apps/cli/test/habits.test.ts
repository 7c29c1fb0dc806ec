/**
 * The bundled CLI as kubectl users drive it, end to end against the mock cloud: help pages (snapshots, 80
 * columns at the root, no framework filler, an Examples section on every command), help/version/options
 * verbs, "did you mean" for commands and flags, the ls/rm aliases, global flags before or after the command,
 * `-o name|yaml|json` and --no-headers, and --verbose. Completion, driven in real bash, zsh and fish, is in
 * completion.test.ts.
 */
import * as fs from "node:fs"
import { join } from "node:path"
import type { MockCloud } from "@kubecred/mock-cloud"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { parse } from "yaml"
import { commandNames } from "../src/internal/commandTable.js"
import { cliEnv, ensureBuilt, removeTempDirs, runCli, startMock, tempDir } from "./helpers.js"

let mock: MockCloud
let tke: { region: string; clusterId: string }
const plain = { PATH: process.env.PATH, HOME: "/nonexistent", NO_COLOR: "1" }

beforeAll(async () => {
  ensureBuilt()
  mock = await startMock()
  tke = mock.tencent.clusters.find((c) => c.status === "Running" && c.region === "ap-guangzhou")!
})

afterAll(async () => {
  await mock?.stop()
  removeTempDirs()
})

const filler = ["A user-defined piece of text", "This setting is optional", "An integer.", "One of the following"]

const oneUsageLine = (out: { code: number | null; stdout: string; stderr: string }) => {
  expect(out.code).toBe(2)
  expect(out.stdout).toBe("")
  expect(out.stderr).toMatch(/^kubecred: .+ \(hint: .+\)\n$/)
}

describe("help", () => {
  it("the root page: under 80 columns, every command once, the global flags once, examples", async () => {
    for (const argv of [[], ["--help"], ["-h"], ["help"]]) {
      const out = await runCli(argv, plain)
      expect(out.code).toBe(0)
      expect(out.stderr).toBe("")
      for (const line of out.stdout.split("\n")) expect(line.length).toBeLessThanOrEqual(80)
      for (const name of commandNames) expect(out.stdout).toMatch(new RegExp(`^  ${name}\\b`, "m"))
      expect(out.stdout.match(/^Global flags:$/gm)).toHaveLength(1)
      expect(out.stdout.match(/--kubeconfig PATH/g)).toHaveLength(1)
      expect(out.stdout).toContain("Examples:")
      for (const text of filler) expect(out.stdout).not.toContain(text)
      expect(out.stdout).not.toMatch(/--wizard|--log-level|--completions/)
      expect(out.stdout).toMatchSnapshot("root help")
    }
  })

  it("every command's page: its full usage line, flags with placeholders and defaults, examples, no filler", async () => {
    for (const name of commandNames) {
      const out = await runCli([name, "--help"], plain)
      expect(out.code, name).toBe(0)
      for (const line of out.stdout.split("\n")) expect(line.length, `${name}: ${line}`).toBeLessThanOrEqual(80)
      expect(out.stdout).toMatch(new RegExp(`^Usage:\\n  kubecred ${name}\\b`, "m"))
      expect(out.stdout, name).toContain("\nExamples:\n  # ")
      for (const text of filler) expect(out.stdout, name).not.toContain(text)
      expect(out.stdout).not.toMatch(/--wizard|--log-level|--completions/)
      // the global flags are listed once, by `kubecred options`, not on every page
      if (name !== "options") expect(out.stdout).not.toContain("--mock-ready PATH")
      expect(out.stdout).toMatchSnapshot(`${name} --help`)
      const viaHelp = await runCli(["help", name], plain)
      expect(viaHelp.stdout).toBe(out.stdout)
    }
    const add = (await runCli(["add", "--help"], plain)).stdout
    expect(add).toContain("kubecred add PROVIDER CLUSTER_ID [flags]")
    expect(add).toMatch(/--region REGION\s/)
    expect(add).toMatch(/--ttl DURATION\s/)
    expect(add).toMatch(/--proxy-url URL\s/)
    expect(add).toMatch(/--on-conflict POLICY[\s\S]*\(default\s+overwrite\)/)
    const list = (await runCli(["list", "--help"], plain)).stdout
    expect(list).toContain("kubecred list [PROVIDER] [flags]")
    expect(list).toContain("Aliases:\n  list, ls")
    const options = await runCli(["options"], plain)
    expect(options.stdout).toContain("--kubeconfig PATH")
    expect(options.stdout).toContain("-v, --verbose")
  })

  it("version and --version", async () => {
    for (const argv of [["version"], ["--version"]]) {
      const out = await runCli(argv, plain)
      expect(out.code).toBe(0)
      // the package's own version (what Changesets writes), not a constant of the sources
      const { version } = JSON.parse(fs.readFileSync(new URL("../package.json", import.meta.url), "utf8"))
      expect(out.stdout).toBe(`kubecred ${version}\n`)
    }
  })
})

describe("typos and habits", () => {
  it("did you mean: commands and flags", async () => {
    const cases: ReadonlyArray<readonly [ReadonlyArray<string>, string]> = [
      [["lsit"], '"list"'],
      [["ad", "tke"], '"add"'],
      [["stauts"], '"status"'],
      [["add", "tke", "cls-abcd1234", "--regoin", "ap-guangzhou"], '"--region"'],
      [["list", "--all-region"], '"--all-regions"'],
      [["status", "--kubeconfg", "x"], '"--kubeconfig"'],
      [["help", "lsit"], '"list"']
    ]
    for (const [argv, suggestion] of cases) {
      const out = await runCli(argv, plain)
      oneUsageLine(out)
      expect(out.stderr, argv.join(" ")).toContain(`did you mean ${suggestion}?`)
    }
    const nothingClose = await runCli(["frobnicate"], plain)
    oneUsageLine(nothingClose)
    expect(nothingClose.stderr).toContain('unknown command "frobnicate"')
    expect(nothingClose.stderr).not.toContain("did you mean")
  })

  it("parser messages name the argument or flag, in plain words", async () => {
    const cases: ReadonlyArray<readonly [ReadonlyArray<string>, string]> = [
      [["add", "gke", "x"], "expected tencent, tke, alibaba or ack for PROVIDER"],
      [["add"], "missing PROVIDER: expected tencent, tke, alibaba or ack"],
      [["add", "tke"], "missing CLUSTER_ID"],
      [["mock", "--port", "abc"], 'expected an integer for --port, got "abc"'],
      [["list", "-o", "xml"], "expected table, wide, json, yaml or name for --output"],
      [["add", "tke", "cls-abcd1234", "--region", "AP_X"], 'invalid region "AP_X"'],
      [["add", "ack", `c${"a".repeat(32)}`, "--ttl", "5m"], "ACK accepts 15 to 4320 minutes"],
      [["refresh", "--expiring-within", "soon"], 'invalid duration "soon"'],
      [["add", "tke", "cls-abcd1234", "--region"], "--region needs a value (REGION)"],
      [["status", "-o"], "-o needs a value (FORMAT)"]
    ]
    for (const [argv, message] of cases) {
      const out = await runCli(argv, plain)
      oneUsageLine(out)
      expect(out.stderr, argv.join(" ")).toContain(message)
      expect(out.stderr).not.toMatch(/is not a integer|Expected one of the following|└─/)
    }
  })

  it("aliases ls and rm; global flags before or after the command, on every command", async () => {
    const home = tempDir("habits")
    const kubeconfig = join(home, "config")
    const env = cliEnv(mock, home)
    const list = await runCli(["list", "tke", "--region", tke.region, "-o", "name"], env)
    const ls = await runCli(["ls", "tke", "--region", tke.region, "-o", "name"], env)
    expect(list.code).toBe(0)
    expect(ls.stdout).toBe(list.stdout)
    expect(list.stdout.split("\n")).toContain(`tencent/${tke.clusterId}`)

    const before = await runCli(
      ["--verbose", "--kubeconfig", kubeconfig, "add", "tke", tke.clusterId, "--region", tke.region, "-o", "name"],
      env
    )
    expect(before.stderr).toBe("")
    expect(before.code).toBe(0)
    const context = before.stdout.trim()
    expect(context).toBe(`tencent-${tke.region}-${tke.clusterId}`)
    const after = await runCli(
      ["add", "tke", tke.clusterId, "--region", tke.region, "-o", "json", "--kubeconfig", kubeconfig, "-v"],
      env
    )
    expect(JSON.parse(after.stdout)).toMatchObject({ context, action: "unchanged", path: kubeconfig })
    for (const argv of [
      ["status", "--profile", "x", "--kubeconfig", kubeconfig, "-o", "name"],
      ["--profile", "x", "--kubeconfig", kubeconfig, "status", "-o", "name"],
      [`--kubeconfig=${kubeconfig}`, "status", "--verbose", "-o", "name"]
    ]) {
      const out = await runCli(argv, env)
      expect(out.stderr, argv.join(" ")).toBe("")
      expect(out.stdout).toBe(`${context}\n`)
    }
    const rm = await runCli(["rm", context, "--kubeconfig", kubeconfig, "-o", "name"], env)
    expect(rm.code).toBe(0)
    expect(rm.stdout).toBe(`${context}\n`)
    expect(parse(fs.readFileSync(kubeconfig, "utf8")).contexts ?? []).toEqual([])
  })

  it("-o json|yaml|name on the commands that print data, --no-headers on tables", async () => {
    const home = tempDir("output")
    const kubeconfig = join(home, "config")
    const env = cliEnv(mock, home, { KUBECONFIG: kubeconfig })
    const json = JSON.parse((await runCli(["list", "tke", "--region", tke.region, "-o", "json"], env)).stdout)
    const yaml = parse((await runCli(["list", "tke", "--region", tke.region, "-o", "yaml"], env)).stdout)
    expect(yaml).toEqual(json)
    const table = (await runCli(["list", "tke", "--region", tke.region], env)).stdout.trimEnd().split("\n")
    const bare = (await runCli(["list", "tke", "--region", tke.region, "--no-headers"], env)).stdout
      .trimEnd()
      .split("\n")
    expect(table[0]).toMatch(/^ID\s+NAME/)
    expect(bare).toEqual(table.slice(1))
    const wide = (await runCli(["list", "tke", "--region", tke.region, "-o", "wide"], env)).stdout.split("\n")[0]
    expect(wide).toMatch(/^PROVIDER\s+ID\s+NAME\s+.*PUBLIC\s+PRIVATE$/)

    const get = await runCli(["get", "tke", tke.clusterId, "--region", tke.region, "-o", "name"], env)
    expect(get.stdout).toBe(`tencent/${tke.clusterId}\n`)
    const added = parse((await runCli(["add", "tke", tke.clusterId, "--region", tke.region, "-o", "yaml"], env)).stdout)
    expect(added).toMatchObject({ provider: "tencent", clusterId: tke.clusterId, action: "added", written: true })
    const status = parse((await runCli(["status", "-o", "yaml"], env)).stdout)
    expect(status[0]).toMatchObject({ name: added.context, provider: "tencent", clusterId: tke.clusterId })
    const statusTable = (await runCli(["status", "--no-headers"], env)).stdout
    expect(statusTable).not.toContain("CURRENT")
    expect(statusTable).toContain(added.context)
    const removed = JSON.parse((await runCli(["remove", added.context, "--dry-run", "-o", "json"], env)).stdout)
    expect(removed).toMatchObject({ dryRun: true, removed: [{ context: added.context, path: kubeconfig }] })
  })

  it("--verbose adds the error's fields in readable form, never a framework trace or a minified frame", async () => {
    const home = tempDir("verbose")
    const out = await runCli(["add", "tke", "cls-zzzzzzzz", "--region", tke.region, "--verbose"], cliEnv(mock, home))
    expect(out.code).toBe(4)
    const lines = out.stderr.split("\n").filter((l) => !l.startsWith("kubecred debug:"))
    expect(lines[0]).toMatch(/^kubecred: .+ \(hint: .+\)$/)
    expect(out.stderr).toMatch(/^ {2}request id: [0-9a-f-]{36}$/m)
    expect(out.stderr).toMatch(/^ {2}action: DescribeClusterKubeconfig$/m)
    expect(out.stderr).not.toMatch(/Fiber terminated|main\.cjs:\d+|at .+:\d+:\d+/)
  })
})
