/**
 * End to end: `kubecred whoami` against the mock names the credential source, profile and masked key id the
 * chain picked, checked with one signed call; a key the cloud refuses exits 3 with one line.
 */
import * as fs from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { cliEnv, runCli, sharedMock, tempDir } from "./helpers.js"

const mock = sharedMock()

describe("whoami", () => {
  it("both providers from the environment: masked key ids, the source, verified by one call each", async () => {
    const home = tempDir("whoami")
    const env = cliEnv(mock(), home)
    const before = mock().stats().requests
    const out = await runCli(["whoami", "-o", "json"], env)
    expect(out.stderr).toBe("")
    expect(out.code).toBe(0)
    const [tencent, alibaba] = JSON.parse(out.stdout)
    expect(tencent).toMatchObject({
      provider: "tencent",
      profile: null,
      temporary: false,
      verifiedBy: "DescribeRegions",
      apiEndpoint: mock().tencent.endpoint
    })
    expect(tencent.source).toMatch(/TENCENTCLOUD_SECRET_ID|env/i)
    expect(tencent.keyId).toBe(
      `${mock().tencent.secretId.slice(0, 4)}${"*".repeat(mock().tencent.secretId.length - 8)}${mock().tencent.secretId.slice(-4)}`
    )
    expect(alibaba).toMatchObject({ provider: "alibaba", verifiedBy: "DescribeClustersV1" })
    expect(alibaba.keyId.startsWith(mock().alibaba.accessKeyId.slice(0, 4))).toBe(true)
    for (const text of [out.stdout]) {
      for (const secret of [
        mock().tencent.secretId,
        mock().tencent.secretKey,
        mock().alibaba.accessKeyId,
        mock().alibaba.accessKeySecret
      ]) {
        expect(text).not.toContain(secret)
      }
    }
    const after = mock().stats().requests
    expect((after["tencent:DescribeRegions"] ?? 0) - (before["tencent:DescribeRegions"] ?? 0)).toBe(1)
    expect((after["alibaba:DescribeClustersV1"] ?? 0) - (before["alibaba:DescribeClustersV1"] ?? 0)).toBe(1)

    const table = await runCli(["whoami", "tke"], env)
    expect(table.code).toBe(0)
    expect(table.stdout.split("\n")[0]).toMatch(/^PROVIDER\s+KEY ID\s+SOURCE\s+PROFILE\s+TEMPORARY\s+VERIFIED BY$/)
  })

  it("a tccli profile: the file and the profile name the chain used", async () => {
    const home = tempDir("whoami-profile")
    fs.mkdirSync(join(home, ".tccli"), { recursive: true })
    fs.writeFileSync(
      join(home, ".tccli", "work.credential"),
      JSON.stringify({ secretId: mock().tencent.secretId, secretKey: mock().tencent.secretKey }),
      { mode: 0o600 }
    )
    const env = { ...cliEnv(mock(), home), TENCENTCLOUD_SECRET_ID: undefined, TENCENTCLOUD_SECRET_KEY: undefined }
    const out = await runCli(["whoami", "tke", "--profile", "work", "-o", "json"], env)
    expect(out.stderr).toBe("")
    expect(out.code).toBe(0)
    const row = JSON.parse(out.stdout)
    expect(row).toMatchObject({ provider: "tencent", profile: "work" })
    expect(row.source).toContain(join(home, ".tccli", "work.credential"))
  })

  it("a key the cloud refuses is exit 3, one line, no secret", async () => {
    const home = tempDir("whoami-bad")
    const env = cliEnv(mock(), home, { TENCENTCLOUD_SECRET_KEY: "wrong-secret-value" })
    const out = await runCli(["whoami", "tke"], env)
    expect(out.code).toBe(3)
    expect(out.stdout).toBe("")
    expect(out.stderr).toMatch(/^kubecred: .+ \(hint: .+\)\n$/)
    expect(out.stderr).not.toContain("wrong-secret-value")
  })
})
