/**
 * The official default chain as the oracle of the chain's order: for the same environment and files, kubecred's
 * chain picks the source @alicloud/credentials 2.4.7's default provider picks (env, RRSA, CLI profile, credentials
 * file, ECS role, credentials URI). It runs in a child process with exactly that environment and HOME (it reads
 * process.env and os.homedir()), trusting the mock's CA through NODE_EXTRA_CA_CERTS; its RRSA step's STS host is
 * set to the mock's (the one setting it has no variable for). The ECS metadata service is turned off for both
 * (ALIBABA_CLOUD_ECS_METADATA_DISABLED=true): off an instance the official one would wait for it.
 */
import { expect, layer } from "@effect/vitest"
import type * as MockCloud from "@kubecred/mock-cloud"
import * as Effect from "effect/Effect"
import { execFile } from "node:child_process"
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { resolve } from "../src/AckCredentials.js"
import { MockCloudServer, mockLayer } from "./fixtures.js"

const packageDir = join(dirname(fileURLToPath(import.meta.url)), "..")

/** The official default chain in a child process: the top-level provider it used. */
const officialPick = (env: Record<string, string>, stsHost: string) =>
  Effect.async<{ readonly provider: string; readonly accessKeyId: string }, Error>((resume) => {
    const script = `
      const Default = require("@alicloud/credentials/dist/src/providers/default").default
      const chain = Default.builder().build()
      for (const p of chain.providers) if (p.getProviderName() === "oidc_role_arn") p.stsEndpoint = ${JSON.stringify(stsHost)}
      chain.getCredentials().then(
        (c) => process.stdout.write(JSON.stringify({ provider: c.providerName, accessKeyId: c.accessKeyId })),
        (e) => process.stdout.write(JSON.stringify({ provider: "none", accessKeyId: "" }))
      )
    `
    execFile(process.execPath, ["-e", script], { cwd: packageDir, env, timeout: 60_000 }, (error, stdout) =>
      error ? resume(Effect.fail(error)) : resume(Effect.succeed(JSON.parse(stdout)))
    )
  })

const place = (files: Record<string, string>) => {
  const home = mkdtempSync(join(tmpdir(), "kubecred-ack-oracle-"))
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(home, path, ".."), { recursive: true })
    writeFileSync(join(home, path), content)
  }
  return home
}

/** kubecred's source, in the official provider names. */
const kind = (source: string) =>
  source.startsWith("environment ")
    ? "default/env"
    : source.startsWith("RRSA ")
      ? "default/oidc_role_arn"
      : source.includes(".aliyun/config.json")
        ? "default/cli_profile"
        : source.includes(".alibabacloud/credentials")
          ? "default/profile"
          : source === "ALIBABA_CLOUD_CREDENTIALS_URI"
            ? "default/credential_uri"
            : source

layer(mockLayer(), { excludeTestServices: true })("the official default chain as the oracle", (it) => {
  it.effect("kubecred picks the source @alicloud/credentials' default chain picks", () =>
    Effect.gen(function* () {
      const mock: MockCloud.MockCloud = yield* MockCloudServer
      const token = yield* Effect.promise(() =>
        mock.mintOidcToken({ audience: "sts.aliyuncs.com", subject: "system:serviceaccount:default:app" })
      )
      const tokenPath = join(mkdtempSync(join(tmpdir(), "kubecred-ack-oracle-token-")), "token")
      writeFileSync(tokenPath, token)
      const stsHost = new URL(mock.alibaba.stsEndpoint).host
      const rrsa = {
        ALIBABA_CLOUD_ROLE_ARN: mock.alibaba.roles[0]!.arn,
        ALIBABA_CLOUD_OIDC_PROVIDER_ARN: mock.alibaba.oidcProviders[0]!.id,
        ALIBABA_CLOUD_OIDC_TOKEN_FILE: tokenPath
      }
      const envKeys = { ALIBABA_CLOUD_ACCESS_KEY_ID: "LTAIenv", ALIBABA_CLOUD_ACCESS_KEY_SECRET: "env-secret" }
      const ak = { name: "default", mode: "AK", access_key_id: "LTAIcli", access_key_secret: "cli-secret" }
      const cli = (profiles: ReadonlyArray<Record<string, unknown>>, current = "default") => ({
        ".aliyun/config.json": JSON.stringify({ current, profiles })
      })
      const ini = {
        ".alibabacloud/credentials": "[default]\ntype = access_key\naccess_key_id = LTAIini\naccess_key_secret = s\n"
      }
      const ramRole = {
        name: "default",
        mode: "RamRoleArn",
        access_key_id: mock.alibaba.accessKeyId,
        access_key_secret: mock.alibaba.accessKeySecret,
        ram_role_arn: mock.alibaba.roles[0]!.arn,
        sts_endpoint: stsHost
      }
      const script = join(mkdtempSync(join(tmpdir(), "kubecred-ack-oracle-ext-")), "print.js")
      writeFileSync(
        script,
        `process.stdout.write(JSON.stringify({mode:"AK",access_key_id:"LTAIext",access_key_secret:"x"}))`
      )
      const scenarios: ReadonlyArray<{ name: string; env: Record<string, string>; files: Record<string, string> }> = [
        { name: "env over RRSA, CLI and file", env: { ...envKeys, ...rrsa }, files: { ...cli([ak]), ...ini } },
        { name: "RRSA over CLI and file", env: rrsa, files: { ...cli([ak]), ...ini } },
        { name: "CLI AK over file", env: {}, files: { ...cli([ak]), ...ini } },
        { name: "CLI RamRoleArn", env: {}, files: { ...cli([ramRole]), ...ini } },
        {
          name: "CLI External",
          env: {},
          files: cli([{ name: "default", mode: "External", process_command: `${process.execPath} ${script}` }])
        },
        {
          name: "CLI disabled: the file",
          env: { ALIBABA_CLOUD_CLI_PROFILE_DISABLED: "true" },
          files: { ...cli([ak]), ...ini }
        },
        {
          name: "ALIBABA_CLOUD_PROFILE names the CLI profile",
          env: { ALIBABA_CLOUD_PROFILE: "other" },
          files: cli([ak, { ...ak, name: "other", access_key_id: "LTAIother" }])
        },
        { name: "the file alone", env: {}, files: ini },
        {
          name: "the credentials URI last",
          env: { ALIBABA_CLOUD_CREDENTIALS_URI: mock.alibaba.credentialsUri },
          files: {}
        }
      ]
      for (const scenario of scenarios) {
        const home = place(scenario.files)
        const env = { ALIBABA_CLOUD_ECS_METADATA_DISABLED: "true", ...scenario.env }
        const official = yield* officialPick(
          { PATH: process.env.PATH ?? "", HOME: home, NODE_EXTRA_CA_CERTS: mock.caFile, ...env },
          stsHost
        )
        const ours = yield* resolve({
          env: { ...env, KUBECRED_ACK_STS_ENDPOINT: mock.alibaba.stsEndpoint },
          home,
          stsCa: readFileSync(mock.caFile, "utf8")
        })
        expect([scenario.name, kind(ours.source)]).toEqual([scenario.name, official.provider])
        // a static key must be the very same key
        if (!official.accessKeyId.startsWith("STS.")) {
          expect([scenario.name, ours.accessKeyId]).toEqual([scenario.name, official.accessKeyId])
        }
      }
    })
  )
})
