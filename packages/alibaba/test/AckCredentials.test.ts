import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { defaultRegion, memoized, resolve } from "../src/AckCredentials.js"

/** A fresh fake home directory, removed afterwards. */
const home = Effect.acquireRelease(
  Effect.sync(() => mkdtempSync(join(tmpdir(), "kubecred-ack-home-"))),
  (dir) => Effect.sync(() => rmSync(dir, { recursive: true, force: true }))
)

const writeCli = (dir: string, config: unknown) => {
  mkdirSync(join(dir, ".aliyun"), { recursive: true })
  writeFileSync(join(dir, ".aliyun", "config.json"), typeof config === "string" ? config : JSON.stringify(config))
}
const writeIni = (dir: string, text: string) => {
  mkdirSync(join(dir, ".alibabacloud"), { recursive: true })
  writeFileSync(join(dir, ".alibabacloud", "credentials"), text)
}

const cliConfig = {
  current: "work",
  profiles: [
    {
      name: "default",
      mode: "AK",
      access_key_id: "AK_DEFAULT",
      access_key_secret: "SK_DEFAULT",
      region_id: "cn-beijing"
    },
    {
      name: "work",
      mode: "StsToken",
      access_key_id: "STS.WORK",
      access_key_secret: "SK_WORK",
      sts_token: "TOKEN_WORK",
      region_id: "cn-shanghai"
    },
    { name: "role", mode: "RamRoleArn", access_key_id: "A", access_key_secret: "B", ram_role_arn: "acs:ram::1:role/x" }
  ]
}

describe("AckCredentials", () => {
  it.scoped("explicit credentials win over everything", () =>
    Effect.gen(function* () {
      const dir = yield* home
      writeCli(dir, cliConfig)
      const creds = yield* resolve({
        credentials: { accessKeyId: "EXPLICIT", accessKeySecret: Redacted.make("s") },
        env: { ALIBABA_CLOUD_ACCESS_KEY_ID: "ENV", ALIBABA_CLOUD_ACCESS_KEY_SECRET: "x" },
        home: dir
      })
      expect(creds.accessKeyId).toBe("EXPLICIT")
      expect(creds.source).toBe("explicit credentials")
    })
  )

  it.scoped("environment: ALIBABA_CLOUD_* first, then the ALICLOUD_* forms, with the security token", () =>
    Effect.gen(function* () {
      const dir = yield* home
      writeCli(dir, cliConfig)
      const a = yield* resolve({
        env: {
          ALIBABA_CLOUD_ACCESS_KEY_ID: "ENV_AK",
          ALIBABA_CLOUD_ACCESS_KEY_SECRET: "ENV_SK",
          ALIBABA_CLOUD_SECURITY_TOKEN: "ENV_TOKEN",
          ALICLOUD_ACCESS_KEY: "OLD"
        },
        home: dir
      })
      expect(a.accessKeyId).toBe("ENV_AK")
      expect(Redacted.value(a.accessKeySecret)).toBe("ENV_SK")
      expect(a.securityToken && Redacted.value(a.securityToken)).toBe("ENV_TOKEN")
      const b = yield* resolve({ env: { ALICLOUD_ACCESS_KEY: "TF_AK", ALICLOUD_SECRET_KEY: "TF_SK" }, home: dir })
      expect(b.accessKeyId).toBe("TF_AK")
      expect(b.securityToken).toBeUndefined()
      const c = yield* resolve({
        env: { ALICLOUD_ACCESS_KEY_ID: "ID_AK", ALICLOUD_ACCESS_KEY_SECRET: "ID_SK", ALICLOUD_SECURITY_TOKEN: "T" },
        home: dir
      })
      expect(c.accessKeyId).toBe("ID_AK")
      expect(c.securityToken && Redacted.value(c.securityToken)).toBe("T")
    })
  )

  it.scoped("an id without a secret is an error, not a silent fall-through", () =>
    Effect.gen(function* () {
      const dir = yield* home
      const error = yield* Effect.flip(resolve({ env: { ALIBABA_CLOUD_ACCESS_KEY_ID: "AK" }, home: dir }))
      expect(error._tag).toBe("CredentialsMissing")
      expect(error.message).toContain("ALIBABA_CLOUD_ACCESS_KEY_ID is set but ALIBABA_CLOUD_ACCESS_KEY_SECRET is not")
    })
  )

  it.scoped("aliyun config.json: current profile, ALIBABA_CLOUD_PROFILE, the option; StsToken and AK modes", () =>
    Effect.gen(function* () {
      const dir = yield* home
      writeCli(dir, cliConfig)
      const current = yield* resolve({ env: {}, home: dir })
      expect(current.accessKeyId).toBe("STS.WORK")
      expect(current.securityToken && Redacted.value(current.securityToken)).toBe("TOKEN_WORK")
      expect(current.source).toContain('profile "work"')
      const byEnv = yield* resolve({ env: { ALIBABA_CLOUD_PROFILE: "default" }, home: dir })
      expect(byEnv.accessKeyId).toBe("AK_DEFAULT")
      expect(byEnv.securityToken).toBeUndefined()
      const byOption = yield* resolve({ env: { ALIBABA_CLOUD_PROFILE: "work" }, profile: "default", home: dir })
      expect(byOption.accessKeyId).toBe("AK_DEFAULT")
    })
  )

  it.scoped("unsupported modes say so", () =>
    Effect.gen(function* () {
      const dir = yield* home
      writeCli(dir, cliConfig)
      writeCli(
        dir,
        JSON.stringify({ current: "sso", profiles: [{ name: "sso", mode: "CloudSSO", cloud_sso_account_id: "1" }] })
      )
      const error = yield* Effect.flip(resolve({ env: {}, home: dir }))
      expect(error.message).toContain(
        "uses mode CloudSSO, which kubecred does not support (supported: AK, StsToken, EcsRamRole, RamRoleArn, ChainableRamRoleArn, OIDC, External, CredentialsURI)"
      )
    })
  )

  it.scoped("a config.json that will not parse names the file and the reason", () =>
    Effect.gen(function* () {
      const dir = yield* home
      writeCli(dir, "{ not json")
      const error = yield* Effect.flip(resolve({ env: {}, home: dir }))
      expect(error.message).toContain(join(dir, ".aliyun", "config.json"))
      expect(error.message).toContain("is not valid JSON")
    })
  )

  it.scoped("ALIBABA_CLOUD_CLI_PROFILE_DISABLED skips config.json; the INI file is next", () =>
    Effect.gen(function* () {
      const dir = yield* home
      writeCli(dir, cliConfig)
      writeIni(
        dir,
        "; comment\n[default]\ntype = access_key\naccess_key_id = INI_AK\naccess_key_secret = INI_SK\n\n[other]\naccess_key_id=O\naccess_key_secret=P\n"
      )
      const creds = yield* resolve({ env: { ALIBABA_CLOUD_CLI_PROFILE_DISABLED: "true" }, home: dir })
      expect(creds.accessKeyId).toBe("INI_AK")
      const other = yield* resolve({
        env: { ALIBABA_CLOUD_CLI_PROFILE_DISABLED: "true", ALIBABA_CLOUD_PROFILE: "other" },
        home: dir
      })
      expect(other.accessKeyId).toBe("O")
    })
  )

  it.scoped("ALIBABA_CLOUD_CREDENTIALS_FILE overrides the INI path; unsupported types and bad lines are reported", () =>
    Effect.gen(function* () {
      const dir = yield* home
      const file = join(dir, "creds.ini")
      writeFileSync(file, "[default]\ntype = chainable_ram_role_arn\nrole_arn = acs:ram::1:role/x\n")
      const e1 = yield* Effect.flip(resolve({ env: { ALIBABA_CLOUD_CREDENTIALS_FILE: file }, home: dir }))
      expect(e1.message).toContain(
        "has type chainable_ram_role_arn, which kubecred does not support (supported: access_key, ecs_ram_role, ram_role_arn, oidc_role_arn, credentials_uri)"
      )
      // a supported type without its fields names what is missing
      writeFileSync(file, "[default]\ntype = ram_role_arn\nrole_arn = acs:ram::1:role/x\n")
      const e0 = yield* Effect.flip(resolve({ env: { ALIBABA_CLOUD_CREDENTIALS_FILE: file }, home: dir }))
      expect(e0.message).toContain("has no access_key_id/access_key_secret")
      writeFileSync(file, "[default]\nthis line is wrong\n")
      const e2 = yield* Effect.flip(resolve({ env: { ALIBABA_CLOUD_CREDENTIALS_FILE: file }, home: dir }))
      expect(e2.message).toContain(`${file} cannot be parsed: line 2`)
      const e3 = yield* Effect.flip(resolve({ env: { ALIBABA_CLOUD_CREDENTIALS_FILE: join(dir, "nope") }, home: dir }))
      expect(e3.message).toContain("points at")
    })
  )

  it.scoped("nothing found names every place looked at", () =>
    Effect.gen(function* () {
      const dir = yield* home
      const error = yield* Effect.flip(resolve({ env: {}, home: dir }))
      expect(error._tag).toBe("CredentialsMissing")
      expect(error._tag === "CredentialsMissing" && error.searched).toEqual([
        "environment ALIBABA_CLOUD_ACCESS_KEY_ID/ALIBABA_CLOUD_ACCESS_KEY_SECRET",
        "environment ALICLOUD_ACCESS_KEY/ALICLOUD_SECRET_KEY",
        "environment ALICLOUD_ACCESS_KEY_ID/ALICLOUD_ACCESS_KEY_SECRET",
        join(dir, ".aliyun", "config.json"),
        `${join(dir, ".alibabacloud", "credentials")} [default]`
      ])
    })
  )

  it.scoped("secrets are Redacted: never in JSON or string forms", () =>
    Effect.gen(function* () {
      const dir = yield* home
      writeCli(dir, cliConfig)
      const creds = yield* resolve({ env: {}, home: dir })
      const shown = `${JSON.stringify(creds)} ${String(creds.accessKeySecret)} ${String(creds.securityToken)}`
      expect(shown).not.toContain("SK_WORK")
      expect(shown).not.toContain("TOKEN_WORK")
    })
  )

  it.scoped("region: ALIBABA_CLOUD_REGION_ID, then the profile's region_id", () =>
    Effect.gen(function* () {
      const dir = yield* home
      expect(yield* defaultRegion({ env: {}, home: dir })).toEqual(Option.none())
      writeCli(dir, cliConfig)
      expect(yield* defaultRegion({ env: {}, home: dir })).toEqual(Option.some("cn-shanghai"))
      expect(yield* defaultRegion({ env: {}, profile: "default", home: dir })).toEqual(Option.some("cn-beijing"))
      expect(yield* defaultRegion({ env: { ALIBABA_CLOUD_REGION_ID: "ap-southeast-1" }, home: dir })).toEqual(
        Option.some("ap-southeast-1")
      )
    })
  )

  it.scoped("memoized: resolved lazily on first use, then remembered; failures are not remembered", () =>
    Effect.gen(function* () {
      const dir = yield* home
      const get = yield* memoized({ env: {}, home: dir })
      expect((yield* Effect.flip(get))._tag).toBe("CredentialsMissing")
      writeIni(dir, "[default]\naccess_key_id = LATE\naccess_key_secret = S\n")
      expect((yield* get).accessKeyId).toBe("LATE")
      rmSync(join(dir, ".alibabacloud"), { recursive: true })
      expect((yield* get).accessKeyId).toBe("LATE")
    })
  )
})

describe("AckCredentials profile names", () => {
  it.scoped("a profile that is not a plain name (--profile ../../x) is InvalidInput on ACK as on TKE", () =>
    Effect.gen(function* () {
      const dir = yield* home
      const refused = yield* Effect.flip(resolve({ env: {}, home: dir, profile: "../../x" }))
      expect(refused).toMatchObject({ _tag: "InvalidInput", field: "profile" })
      const fromEnv = yield* Effect.flip(resolve({ env: { ALIBABA_CLOUD_PROFILE: "a/b" }, home: dir }))
      expect(fromEnv).toMatchObject({ _tag: "InvalidInput", field: "profile" })
    })
  )
})
