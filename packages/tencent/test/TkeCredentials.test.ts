import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { defaultRegion, resolve } from "../src/TkeCredentials.js"

const makeHome = (files: Record<string, string> = {}) => {
  const home = mkdtempSync(join(tmpdir(), "kubecred-tke-"))
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(home, path, ".."), { recursive: true })
    writeFileSync(join(home, path), content)
  }
  return home
}

const ini = "[default]\nsecret_id = AKIDini\nsecret_key = keyini\n"
const tccli = JSON.stringify({ secretId: "AKIDtccli", secretKey: "keytccli", token: "tok" })

describe("TkeCredentials.resolve", () => {
  it.effect("explicit credentials win over everything", () =>
    Effect.gen(function* () {
      const home = makeHome({ ".tencentcloud/credentials": ini })
      const found = yield* resolve({
        credentials: { secretId: "AKIDexplicit", secretKey: Redacted.make("k") },
        env: { TENCENTCLOUD_SECRET_ID: "AKIDenv", TENCENTCLOUD_SECRET_KEY: "e" },
        home
      })
      expect(found.source).toBe("explicit")
      expect(found.secretId).toBe("AKIDexplicit")
    })
  )

  it.effect("env before files, with the session token", () =>
    Effect.gen(function* () {
      const home = makeHome({ ".tencentcloud/credentials": ini })
      const found = yield* resolve({
        env: { TENCENTCLOUD_SECRET_ID: "AKIDenv", TENCENTCLOUD_SECRET_KEY: "e", TENCENTCLOUD_SESSION_TOKEN: "t" },
        home
      })
      expect(found.source).toBe("env")
      expect(Redacted.value(found.secretKey)).toBe("e")
      expect(found.token && Redacted.value(found.token)).toBe("t")
    })
  )

  it.effect("~/.tencentcloud/credentials before tccli", () =>
    Effect.gen(function* () {
      const home = makeHome({ ".tencentcloud/credentials": ini, ".tccli/default.credential": tccli })
      const found = yield* resolve({ env: {}, home })
      expect(found.source).toBe(join(home, ".tencentcloud", "credentials"))
      expect(found.secretId).toBe("AKIDini")
      expect(found.token).toBeUndefined()
    })
  )

  it.effect("tccli profile from the option, else TCCLI_PROFILE, else default", () =>
    Effect.gen(function* () {
      const home = makeHome({
        ".tccli/default.credential": tccli,
        ".tccli/ci.credential": JSON.stringify({ secretId: "AKIDci", secretKey: "kci" }),
        ".tccli/ops.credential": JSON.stringify({ secretId: "AKIDops", secretKey: "kops" })
      })
      expect((yield* resolve({ env: {}, home })).secretId).toBe("AKIDtccli")
      expect((yield* resolve({ env: { TCCLI_PROFILE: "ci" }, home })).secretId).toBe("AKIDci")
      expect((yield* resolve({ env: { TCCLI_PROFILE: "ci" }, home, profile: "ops" })).secretId).toBe("AKIDops")
      const withToken = yield* resolve({ env: {}, home })
      expect(withToken.token && Redacted.value(withToken.token)).toBe("tok")
    })
  )

  it.effect("nothing found names every place looked at", () =>
    Effect.gen(function* () {
      const home = makeHome()
      const systemCredentials = join(home, "etc", "tencentcloud", "credentials")
      const error = yield* Effect.flip(resolve({ env: {}, home, systemCredentials }))
      expect(error._tag).toBe("CredentialsMissing")
      expect(error._tag === "CredentialsMissing" && error.searched).toEqual([
        "env TENCENTCLOUD_SECRET_ID/TENCENTCLOUD_SECRET_KEY",
        join(home, ".tencentcloud", "credentials"),
        systemCredentials,
        join(home, ".tccli", "default.credential")
      ])
      expect(error.message).toContain(join(home, ".tccli", "default.credential"))
    })
  )

  it.effect("/etc/tencentcloud/credentials stands in for a missing ~/.tencentcloud/credentials, as in the SDK", () =>
    Effect.gen(function* () {
      const home = makeHome({ "etc/credentials": "[default]\nsecret_id = AKIDetc\nsecret_key = keyetc\n" })
      const systemCredentials = join(home, "etc", "credentials")
      const fromSystem = yield* resolve({ env: {}, home, systemCredentials })
      expect(fromSystem).toMatchObject({ source: systemCredentials, secretId: "AKIDetc" })
      const withHome = makeHome({ ".tencentcloud/credentials": ini, "etc/credentials": "not ini at all" })
      const fromHome = yield* resolve({
        env: {},
        home: withHome,
        systemCredentials: join(withHome, "etc", "credentials")
      })
      expect(fromHome.secretId).toBe("AKIDini")
      const bad = makeHome({ "etc/credentials": "secret_id = x\n" })
      const error = yield* Effect.flip(
        resolve({ env: {}, home: bad, systemCredentials: join(bad, "etc", "credentials") })
      )
      expect(error.detail).toContain(`${join(bad, "etc", "credentials")} cannot be parsed`)
    })
  )

  it.effect("a file that won't parse says which and why", () =>
    Effect.gen(function* () {
      const home = makeHome({ ".tccli/default.credential": "{ not json" })
      const error = yield* Effect.flip(resolve({ env: {}, home }))
      expect(error._tag).toBe("CredentialsMissing")
      expect(error.detail).toContain(join(home, ".tccli", "default.credential"))
      expect(error.detail).toContain("is not valid JSON")
      const badIni = makeHome({ ".tencentcloud/credentials": "secret_id = x\n" })
      const iniError = yield* Effect.flip(resolve({ env: {}, home: badIni }))
      expect(iniError.detail).toContain("outside any [section]")
    })
  )

  it.effect("half a key pair is an error, and no secret is in it", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(resolve({ env: { TENCENTCLOUD_SECRET_KEY: "s3cr3t-value" }, home: makeHome() }))
      expect(error.detail).toBe("env: TENCENTCLOUD_SECRET_KEY is set but TENCENTCLOUD_SECRET_ID is not")
      expect(JSON.stringify(error)).not.toContain("s3cr3t-value")
      expect(error.message).not.toContain("s3cr3t-value")
    })
  )

  it.effect("credentials print redacted", () =>
    Effect.gen(function* () {
      const found = yield* resolve({
        env: {
          TENCENTCLOUD_SECRET_ID: "AKIDenv",
          TENCENTCLOUD_SECRET_KEY: "s3cr3t",
          TENCENTCLOUD_SESSION_TOKEN: "t0k"
        },
        home: makeHome()
      })
      const printed = `${JSON.stringify(found)} ${String(found.secretKey)} ${String(found.token)}`
      expect(printed).not.toContain("s3cr3t")
      expect(printed).not.toContain("t0k")
    })
  )
})

describe("TkeCredentials.defaultRegion", () => {
  it.effect("TENCENTCLOUD_REGION, then the tccli profile, else none", () =>
    Effect.gen(function* () {
      const home = makeHome({
        ".tccli/default.configure": JSON.stringify({ _sys_param: { region: "ap-shanghai", output: "json" } })
      })
      expect(yield* defaultRegion({ env: { TENCENTCLOUD_REGION: "ap-guangzhou" }, home })).toEqual(
        Option.some("ap-guangzhou")
      )
      expect(yield* defaultRegion({ env: {}, home })).toEqual(Option.some("ap-shanghai"))
      expect(yield* defaultRegion({ env: {}, home: makeHome() })).toEqual(Option.none())
      expect(yield* defaultRegion({ env: {}, home: makeHome({ ".tccli/default.configure": "][" }) })).toEqual(
        Option.none()
      )
    })
  )
})

describe("TkeCredentials profile names", () => {
  it.effect(
    "a profile that escapes ~/.tccli (--profile ../../x, TCCLI_PROFILE=a/b) is InvalidInput; no file is read",
    () =>
      Effect.gen(function* () {
        // a file the escaping name would reach: ~/.tccli/../../x.credential == <parent of home>/x.credential
        const base = makeHome()
        const home = join(base, "home")
        mkdirSync(home)
        writeFileSync(join(base, "x.credential"), JSON.stringify({ secretId: "AKIDescaped", secretKey: "k" }))
        const refused = yield* Effect.flip(resolve({ env: {}, home, profile: "../../x" }))
        expect(refused).toMatchObject({ _tag: "InvalidInput", field: "profile" })
        const fromEnv = yield* Effect.flip(resolve({ env: { TCCLI_PROFILE: "a/b" }, home }))
        expect(fromEnv).toMatchObject({ _tag: "InvalidInput", field: "profile" })
        expect(yield* defaultRegion({ env: {}, home, profile: "../../x" })).toEqual(Option.none())
      })
  )
})
