/**
 * End to end, the bundled CLI against the mock: the `--dry-run` diff of add, sync and refresh shows only what
 * changes. Each diff is checked to apply to the file the same command then writes (diffCheck.ts), the fetch
 * times, which differ between the two runs, read as one placeholder; so that minimality is checked by the lines
 * each test expects (the kubeconfig package's diff.test.ts checks it against an LCS).
 */
import * as fs from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { parse } from "yaml"
import { changedLines, checkDiff } from "../../../packages/kubeconfig/test/fixtures/diffCheck.js"
import { cliEnv, runCli, sharedMock, tempDir } from "./helpers.js"

const mock = sharedMock()

const TIME = /"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z"/g
const timeless = (text: string) => text.replace(TIME, '"<time>"')

/** Every base64 credential of a kubeconfig, and its first 24 characters: none may reach a diff. */
const credentialsOf = (text: string): Array<string> =>
  [...text.matchAll(/(?:certificate-authority-data|client-certificate-data|client-key-data|token): (\S+)/g)].flatMap(
    (m) => [m[1]!, m[1]!.slice(0, 24)]
  )

const setup = (prefix: string) => {
  const home = tempDir(prefix)
  const kubeconfig = join(home, "config")
  return { kubeconfig, env: cliEnv(mock(), home, { KUBECONFIG: kubeconfig }) }
}

/** Runs `args` with --dry-run, then for real; returns the diff, the file before and after. */
const dryThenReal = async (env: Record<string, string | undefined>, kubeconfig: string, args: Array<string>) => {
  const before = fs.readFileSync(kubeconfig, "utf8")
  const dry = await runCli([...args, "--dry-run"], env)
  // sync reports the clusters it skips (not running) on stderr; nothing else may be there.
  expect(dry.stderr.split("\n").filter((line) => line !== "" && !/^kubecred: skipped /.test(line))).toEqual([])
  expect(dry.code).toBe(0)
  expect(fs.readFileSync(kubeconfig, "utf8")).toBe(before)
  const real = await runCli(args, env)
  expect(real.code, real.stderr).toBe(0)
  const after = fs.readFileSync(kubeconfig, "utf8")
  for (const secret of [...credentialsOf(before), ...credentialsOf(after)]) expect(dry.stdout).not.toContain(secret)
  return { diff: dry.stdout, before, after }
}

/** The diff part of a command's output (from its `---` header to its last hunk line). */
const diffPart = (stdout: string) => {
  const lines = stdout.split("\n")
  const start = lines.findIndex((line) => line.startsWith("--- "))
  expect(start, stdout).toBeGreaterThanOrEqual(0)
  let end = start + 2
  while (end < lines.length && /^[ +\-@]/.test(lines[end]!)) end++
  return `${lines.slice(start, end).join("\n")}\n`
}

describe("the dry-run diff shows only what changes", () => {
  it("add: the same cluster again is `no change`; a second one shows only its lines and current-context", async () => {
    const tke = mock().tencent.clusters.filter((c) => c.status === "Running" && c.region === "ap-guangzhou")
    const [first, second] = [tke[0]!, tke[1]!]
    const { kubeconfig, env } = setup("diff-add")
    const add = (c: { clusterId: string; region: string }) => ["add", "tke", c.clusterId, "--region", c.region]
    expect((await runCli(add(first), env)).code).toBe(0)

    const again = await runCli([...add(first), "--dry-run"], env)
    expect(again.code, again.stderr).toBe(0)
    expect(again.stdout.trim()).toBe(`no change to ${kubeconfig}`)
    const json = JSON.parse((await runCli([...add(first), "--dry-run", "-o", "json"], env)).stdout)
    expect(json).toMatchObject({ action: "unchanged", diff: "" })

    const { diff, before, after } = await dryThenReal(env, kubeconfig, add(second))
    checkDiff(timeless(before), timeless(after), timeless(diffPart(diff)), { minimal: false })
    const { removed, added } = changedLines(diffPart(diff))
    const firstName = `tencent-${first.region}-${first.clusterId}`
    const secondName = `tencent-${second.region}-${second.clusterId}`
    expect(removed).toEqual([`current-context: ${firstName}`])
    expect(added).toContain(`current-context: ${secondName}`)
    expect(added).toContain(`- name: ${secondName}`)
    expect(added).toContain("    client-key-data: <redacted>")
    // Of the first cluster's blocks, nothing but the record of the current-context the second one replaced.
    expect(added.filter((line) => line.includes(firstName))).toEqual([`        text: " ${firstName}"`])
  })

  it("refresh: a rotated ACK certificate shows only the user's two (redacted) lines and the provenance times", async () => {
    const ack = mock().alibaba.clusters.find((c) => c.state === "running")!
    const tke = mock().tencent.clusters.find((c) => c.status === "Running")!
    const { kubeconfig, env } = setup("diff-refresh")
    expect((await runCli(["add", "tke", tke.clusterId, "--region", tke.region], env)).code).toBe(0)
    const added = await runCli(["add", "ack", ack.clusterId, "--region", ack.region, "--ttl", "1h"], env)
    expect(added.code, added.stderr).toBe(0)

    const { diff, before, after } = await dryThenReal(env, kubeconfig, ["refresh", "--expiring-within", "2h"])
    const part = diffPart(diff)
    checkDiff(timeless(before), timeless(after), timeless(part), { minimal: false })
    // expiresAt is to the second: a refresh within the same second as the add keeps it, and shows no change.
    const keys = (lines: ReadonlyArray<string>) =>
      lines.map((line) => line.trim().split(":")[0]).filter((key) => key !== "expiresAt")
    const expected = ["fetchedAt", "client-certificate-data", "client-key-data"]
    expect(keys(changedLines(part).removed)).toEqual(expected)
    expect(keys(changedLines(part).added)).toEqual(expected)
    expect(changedLines(part).removed).toHaveLength(changedLines(part).added.length)
    expect(part).toContain("-    client-certificate-data: <redacted>\n-    client-key-data: <redacted>\n")
    expect(part).toContain("+    client-certificate-data: <redacted>\n+    client-key-data: <redacted>\n")
    // The certificate really was rotated; the TKE cluster, which was not refreshed, is in no hunk.
    const userOf = (text: string) => parse(text).users.find((u: { name: string }) => u.name.startsWith("alibaba")).user
    expect(userOf(after)["client-certificate-data"]).not.toBe(userOf(before)["client-certificate-data"])
    expect(part).not.toContain(tke.clusterId)
  })

  it("sync: a region with one cluster already added shows only the new clusters' lines", async () => {
    const running = mock().tencent.clusters.filter((c) => c.status === "Running" && c.region === "ap-guangzhou")
    const { kubeconfig, env } = setup("diff-sync")
    const first = running[0]!
    expect((await runCli(["add", "tke", first.clusterId, "--region", first.region], env)).code).toBe(0)
    const { diff, before, after } = await dryThenReal(env, kubeconfig, ["sync", "tke", "--region", "ap-guangzhou"])
    // One diff for the file, as `git diff` shows it: every new cluster's lines, and it applies to the file.
    const parts = diff.split(/^(?=--- )/m).filter((part) => part.startsWith("--- "))
    expect(parts).toHaveLength(1)
    const part = diffPart(parts[0]!)
    checkDiff(timeless(before), timeless(after), timeless(part), { minimal: false })
    const changed = changedLines(part)
    // sync leaves current-context alone and the cluster already there is unchanged: nothing is removed.
    expect(changed.removed).toEqual([])
    for (const { region, clusterId } of running.slice(1)) {
      expect(changed.added).toContain(`- name: tencent-${region}-${clusterId}`)
    }
    expect(changed.added.some((line) => line.includes(first.clusterId))).toBe(false)
    const lines = (text: string) => text.trimEnd().split("\n").length
    expect(changed.added.length).toBe(lines(after) - lines(before))
  })
})
