/**
 * The official default chain as the oracle of the chain's order: for the same environment and files, kubecred's
 * chain picks the source tencentcloud-sdk-nodejs-common's DefaultCredentialProvider picks (env, profile file, CVM
 * role, TKE pod identity). The SDK runs in a child process with exactly that environment and HOME (it reads
 * process.env and os.homedir()), trusting the mock's CA through NODE_EXTRA_CA_CERTS; its OIDC step's STS host is
 * set to the mock's (the one setting the SDK has no variable for). Off a CVM instance its CVM step fails and it
 * goes on, as kubecred does without TENCENTCLOUD_CAM_ROLE_NAME.
 */
import { expect, layer } from "@effect/vitest"
import { type MockCloud, layer as mockLayer } from "@kubecred/mock-cloud"
import * as Effect from "effect/Effect"
import { execFile } from "node:child_process"
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { resolve } from "../src/TkeCredentials.js"
import { MockCloudServer } from "./support/mock.js"

const packageDir = join(dirname(fileURLToPath(import.meta.url)), "..")

/** The SDK's default chain in a child process: the secretId it answers. */
const officialPick = (env: Record<string, string>, stsHost: string) =>
  Effect.async<string, Error>((resume) => {
    const script = `
      const { DefaultCredentialProvider } = require("tencentcloud-sdk-nodejs-common/tencentcloud/common/credential")
      const chain = new DefaultCredentialProvider()
      chain.providers[3].endpoint = ${JSON.stringify(stsHost)}
      console.error = () => {}
      chain.getCredential().then((c) => process.stdout.write(JSON.stringify({ secretId: c.secretId })))
    `
    execFile(process.execPath, ["-e", script], { cwd: packageDir, env, timeout: 30_000 }, (error, stdout) =>
      error ? resume(Effect.fail(error)) : resume(Effect.succeed(JSON.parse(stdout).secretId as string))
    )
  })

const place = (files: Record<string, string>) => {
  const home = mkdtempSync(join(tmpdir(), "kubecred-tke-oracle-"))
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(home, path, ".."), { recursive: true })
    writeFileSync(join(home, path), content)
  }
  return home
}

const kind = (source: string) =>
  source === "env"
    ? "env"
    : source.includes(".tencentcloud/credentials")
      ? "profile"
      : source.startsWith("TKE pod identity")
        ? "oidc"
        : source

layer(mockLayer(), { excludeTestServices: true })("the official default chain as the oracle", (it) => {
  it.effect("env, profile file, pod identity: kubecred picks what DefaultCredentialProvider picks", () =>
    Effect.gen(function* () {
      const mock: MockCloud = yield* MockCloudServer
      const token = yield* Effect.promise(() =>
        mock.mintOidcToken({ audience: "sts.cloud.tencent.com", subject: "system:serviceaccount:default:app" })
      )
      const tokenPath = join(mkdtempSync(join(tmpdir(), "kubecred-tke-oracle-token-")), "token")
      writeFileSync(tokenPath, token)
      const pod = {
        TKE_ROLE_ARN: mock.tencent.roles[0]!.arn,
        TKE_PROVIDER_ID: mock.tencent.oidcProviders[0]!.id,
        TKE_WEB_IDENTITY_TOKEN_FILE: tokenPath,
        TKE_REGION: "ap-guangzhou"
      }
      const ini = "[default]\nsecret_id = AKIDprofile\nsecret_key = profile-key\n"
      const envKeys = { TENCENTCLOUD_SECRET_ID: "AKIDenv", TENCENTCLOUD_SECRET_KEY: "env-key" }
      const scenarios: ReadonlyArray<{ name: string; env: Record<string, string>; files: Record<string, string> }> = [
        { name: "env over profile and pod", env: { ...envKeys, ...pod }, files: { ".tencentcloud/credentials": ini } },
        { name: "profile over pod", env: pod, files: { ".tencentcloud/credentials": ini } },
        { name: "pod alone", env: pod, files: {} },
        {
          name: "a profile file without [default] keys: the pod",
          env: pod,
          files: { ".tencentcloud/credentials": "[other]\nsecret_id = AKIDo\nsecret_key = k\n" }
        }
      ]
      const stsHost = new URL(mock.tencent.stsEndpoint).host
      for (const scenario of scenarios) {
        const home = place(scenario.files)
        const official = yield* officialPick(
          { PATH: process.env.PATH ?? "", HOME: home, NODE_EXTRA_CA_CERTS: mock.caFile, ...scenario.env },
          stsHost
        )
        const ours = yield* resolve({
          env: { ...scenario.env, KUBECRED_TKE_STS_ENDPOINT: mock.tencent.stsEndpoint },
          home,
          systemCredentials: "/nonexistent-kubecred/etc/credentials",
          stsCa: readFileSync(mock.caFile, "utf8")
        })
        const officialKind =
          official === "AKIDenv"
            ? "env"
            : official === "AKIDprofile"
              ? "profile"
              : official.startsWith("AKID")
                ? "oidc"
                : official
        expect([scenario.name, kind(ours.source)]).toEqual([scenario.name, officialKind])
      }
    })
  )
})
