/** Pointing the official STS credential providers at a running mock (over its HTTPS port, trusting its CA). */
import { execFile } from "node:child_process"
import { readFileSync } from "node:fs"
import * as https from "node:https"
import { fileURLToPath } from "node:url"
import { CommonClient, type Credential, OIDCRoleArnCredential } from "tencentcloud-sdk-nodejs-common"
import type { ReadyInfo } from "../../src/index.js"

/** An agent that trusts the mock's CA (what NODE_EXTRA_CA_CERTS does for a whole process). */
export const trustingAgent = (ready: ReadyInfo) => new https.Agent({ ca: readFileSync(ready.caFile, "utf8") })

/** The Tencent clientConfig STSCredential and OIDCRoleArnCredential pass to their CommonClient. */
export const tencentStsConfig = (ready: ReadyInfo, credential?: Credential) => ({
  ...(credential === undefined ? {} : { credential }),
  region: "ap-guangzhou",
  profile: {
    httpProfile: { endpoint: new URL(ready.tencent.stsEndpoint).host, agent: trustingAgent(ready), reqTimeout: 10 }
  }
})

/** The SDK's own client on the STS, for the codes its credential classes fold into a message. */
export const tencentSts = (ready: ReadyInfo, credential?: Credential) =>
  new CommonClient("sts.tencentcloudapi.com", "2018-08-13", tencentStsConfig(ready, credential) as never)

/** OIDCRoleArnCredential in its TKE mode (no request parameters: it reads the TKE_* variables). */
export const tkeOidcCredential = (clientConfig: unknown) =>
  new OIDCRoleArnCredential(clientConfig as never, undefined as never)

export const mint = async (ready: ReadyInfo, body: Record<string, unknown>): Promise<string> => {
  const response = await fetch(ready.oidc.tokenEndpoint, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body)
  })
  if (response.status !== 200) throw new Error(`mint failed: ${response.status} ${await response.text()}`)
  return ((await response.json()) as { token: string }).token
}

export interface AlibabaProviderResult {
  readonly ok: boolean
  readonly accessKeyId?: string
  readonly accessKeySecret?: string
  readonly securityToken?: string
  readonly providerName?: string
  readonly message?: string
}

/**
 * Runs an official @alicloud/credentials provider in a child process that trusts the mock's CA the way a user
 * would (NODE_EXTRA_CA_CERTS), with only the given environment beyond PATH.
 */
export const alibabaProvider = (
  ready: ReadyInfo,
  spec: Record<string, unknown>,
  env: Record<string, string> = {}
): Promise<AlibabaProviderResult> =>
  new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [fileURLToPath(new URL("./alibabaProvider.mjs", import.meta.url)), JSON.stringify(spec)],
      { env: { PATH: process.env.PATH ?? "", NODE_EXTRA_CA_CERTS: ready.caFile, ...env }, timeout: 30_000 },
      (error, stdout, stderr) => {
        if (error) return reject(new Error(`provider process failed: ${error.message} ${stderr}`))
        resolve(JSON.parse(stdout.trim().split("\n").at(-1)!) as AlibabaProviderResult)
      }
    )
  })
