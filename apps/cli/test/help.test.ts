/**
 * The help words and the parser agree: every flag commandSpecs.ts documents is one @effect/cli parses for
 * that command, and the reverse (so help, completion and "did you mean" never drift from what works). Also the
 * small parts of the habits: reading the line, suggestions, wrapping, --verbose's causes.
 */
import { getUsage } from "@effect/cli/Command"
import type * as Usage from "@effect/cli/Usage"
import { describe, expect, it } from "vitest"
import { commandSpecs, flagsOf } from "../src/internal/commandSpecs.js"
import { readLine } from "../src/internal/commandTable.js"
import { rootHelp, wrap } from "../src/internal/help.js"
import { didYouMean, distance } from "../src/internal/suggest.js"
import { explain } from "../src/internal/verbose.js"
import { loaders } from "../src/main.js"

const modules = loaders

const namesIn = (usage: Usage.Usage): Array<string> => {
  switch (usage._tag) {
    case "Named":
      return [...usage.names]
    case "Optional":
    case "Repeated":
      return namesIn(usage.usage)
    case "Alternation":
    case "Concat":
      return [...namesIn(usage.left), ...namesIn(usage.right)]
    default:
      return []
  }
}

describe("commandSpecs.ts and the parser", () => {
  it("document exactly the flags and arguments each command parses", async () => {
    for (const [name, load] of Object.entries(modules)) {
      const { command } = await load()
      const parsed = namesIn(getUsage(command))
      const spec = commandSpecs.find((s) => s.name === name)!
      const documented = flagsOf(spec)
        .filter((f) => f.name !== "help")
        .flatMap((f) => [`--${f.name}`, ...(f.alias ? [`-${f.alias}`] : [])])
      expect(parsed.filter((n) => n.startsWith("-")).sort(), name).toEqual(documented.sort())
      const args = parsed.filter((n) => n.startsWith("<")).map((n) => n.slice(1, -1).toUpperCase().replace(/-/g, "_"))
      expect(args, name).toEqual(spec.args.map((a) => a.name))
    }
  })

  it("has a command module for every spec that is not a built-in verb", () => {
    const verbs = ["completion", "options", "help", "version"]
    expect(commandSpecs.map((s) => s.name).filter((n) => !verbs.includes(n))).toEqual(Object.keys(modules))
  })
})

describe("reading the line", () => {
  it("moves global flags written before the command after it, and resolves aliases", () => {
    expect(readLine(["--verbose", "--profile", "p", "ls", "tke"])).toMatchObject({
      command: "list",
      argv: ["list", "--verbose", "--profile", "p", "tke"],
      verbose: true
    })
    expect(readLine(["--kubeconfig=/k", "rm", "x"]).argv).toEqual(["remove", "--kubeconfig=/k", "x"])
    expect(readLine(["add", "tke", "--help"])).toMatchObject({ command: "add", help: true })
    expect(readLine(["lsit"])).toMatchObject({ command: undefined, word: "lsit" })
    expect(readLine([])).toMatchObject({ command: undefined, word: undefined })
  })
})

describe("suggestions", () => {
  it("one transposition, a missing letter, a prefix", () => {
    expect(distance("lsit", "list")).toBe(1)
    expect(didYouMean("lsit", ["list", "get"])).toBe('did you mean "list"?')
    expect(didYouMean("ad", ["add", "get"])).toBe('did you mean "add"?')
    expect(didYouMean("--regoin", ["--region", "--private"])).toBe('did you mean "--region"?')
    expect(didYouMean("zzz", ["list", "add"])).toBe("")
  })
})

describe("rendering", () => {
  it("wraps to the width, and the root page fits 80 columns", () => {
    for (const line of wrap("a ".repeat(100), 30, 4)) expect(line.length).toBeLessThanOrEqual(30)
    for (const line of rootHelp().split("\n")) expect(line.length).toBeLessThanOrEqual(80)
  })

  it("--verbose: the fields and the chain of causes, no stack frames, no secret", () => {
    process.env.KUBECRED_TEST_SECRET_KEY = "s3cr3t-value-123"
    const errno = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1 s3cr3t-value-123"), {
      code: "ECONNREFUSED",
      syscall: "connect"
    })
    const error = Object.assign(new Error("tencent DescribeClusters: refused"), {
      _tag: "Transport",
      provider: "tencent",
      action: "DescribeClusters",
      requestId: "4f1c",
      cause: new Error("request failed", { cause: errno })
    })
    const lines = explain(error)
    expect(lines).toEqual([
      "  provider: tencent",
      "  action: DescribeClusters",
      "  request id: 4f1c",
      "  caused by: Error: request failed",
      "  caused by: Error: connect ECONNREFUSED 127.0.0.1:1 *** (code: ECONNREFUSED, syscall: connect)"
    ])
    delete process.env.KUBECRED_TEST_SECRET_KEY
  })
})
