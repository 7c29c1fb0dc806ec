/**
 * The official Alibaba credential providers (@alicloud/credentials 2.4.7 `RamRoleArnCredentialsProvider`,
 * `OIDCRoleArnCredentialsProvider`, `URLCredentialsProvider`) against the mock STS over HTTPS, each in a process
 * that trusts the mock's CA through NODE_EXTRA_CA_CERTS, and the credentials they get fetching a kubeconfig
 * through the official ACK SDK; then the refusals, each with the documented code.
 */
import RamRoleArnProvider from "@alicloud/credentials/dist/src/providers/ram_role_arn.js"
import StaticAkProvider from "@alicloud/credentials/dist/src/providers/static_ak.js"
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type MockCloud, start } from "../src/index.js"
import { parseKubeconfig } from "./support/certificates.js"
import * as Clients from "./support/clients.js"
import { type AlibabaProviderResult, alibabaProvider, mint } from "./support/sts.js"
import { startTamperProxy } from "./support/tamperProxy.js"

let cloud: MockCloud
beforeAll(async () => {
  cloud = await start({ alibabaRateLimit: 10_000 })
})
afterAll(() => cloud.stop())

const role = (name: string) => cloud.alibaba.roles.find((r) => r.name === name)!
const oidcProvider = () => cloud.alibaba.oidcProviders[0]!
const sts = () => new URL(cloud.alibaba.stsEndpoint).host
const running = () => cloud.alibaba.clusters.find((c) => c.state === "running")!.clusterId
const demoKey = () => ({ accessKeyId: cloud.alibaba.accessKeyId, accessKeySecret: cloud.alibaba.accessKeySecret })

const ramRoleArn = (settings: Record<string, unknown> = {}) =>
  alibabaProvider(cloud, {
    kind: "ramRoleArn",
    ...demoKey(),
    roleArn: role("kubecred-mock-role").arn,
    roleSessionName: "kubecred-test",
    stsEndpoint: sts(),
    ...settings
  })

const tokenFile = (token: string) => {
  const path = join(mkdtempSync(join(tmpdir(), "kubecred-rrsa-")), "token")
  writeFileSync(path, token)
  return path
}

/** ACK's RRSA variables, as a pod gets them. */
const oidc = (token: string, roleArn = role("kubecred-mock-role").arn, providerArn = oidcProvider().id) =>
  alibabaProvider(
    cloud,
    { kind: "oidc", stsEndpoint: sts() },
    {
      ALIBABA_CLOUD_ROLE_ARN: roleArn,
      ALIBABA_CLOUD_OIDC_PROVIDER_ARN: providerArn,
      ALIBABA_CLOUD_OIDC_TOKEN_FILE: tokenFile(token)
    }
  )

const rrsaToken = (subject = "system:serviceaccount:default:app") =>
  mint(cloud, { audience: "sts.aliyuncs.com", subject })

/** The ACK SDK with these credentials fetches a kubeconfig: the credentials are real to the mock. */
const kubeconfigWith = async (result: AlibabaProviderResult) => {
  expect(result).toMatchObject({ ok: true })
  const client = Clients.alibaba(cloud, {
    accessKeyId: result.accessKeyId!,
    accessKeySecret: result.accessKeySecret!,
    securityToken: result.securityToken!
  })
  const response = await client.describeClusterUserKubeconfig(
    running(),
    new Clients.Cs.DescribeClusterUserKubeconfigRequest({})
  )
  return parseKubeconfig(response.body!.config!)
}

/** The code inside the STS error body the official providers put in their messages. */
const codeOf = (result: AlibabaProviderResult) => {
  expect(result.ok).toBe(false)
  return /"Code":"([^"]+)"/.exec(result.message ?? "")?.[1] ?? result.message
}

describe("Alibaba STS through the official providers", () => {
  it("the ready file names the first role as trusted by the demo key and the RRSA provider", () => {
    const first = cloud.alibaba.roles[0]!
    expect(first.principals).toContain("key")
    expect(first.oidcProviders).toContain(oidcProvider().name)
    expect(first.arn).toMatch(/^acs:ram::\d{16}:role\/kubecred-mock-role$/)
    expect(oidcProvider().id).toMatch(/^acs:ram::\d{16}:oidc-provider\/kubecred-mock-rrsa$/)
    expect(oidcProvider().audiences).toEqual(["sts.aliyuncs.com"])
  })

  it("RamRoleArnCredentialsProvider (AssumeRole, RPC-signed) gets credentials that fetch a kubeconfig", async () => {
    const result = await ramRoleArn()
    expect(result.accessKeyId).toMatch(/^STS\./)
    expect(result.securityToken).toMatch(/^CAIS/)
    expect(result.providerName).toBe("ram_role_arn/static_ak")
    const config = await kubeconfigWith(result)
    expect(config.server).toBe(cloud.apiserver)
    // Chaining: the session assumes the role again, signing with its security token.
    const chained = await ramRoleArn({ ...result, securityToken: result.securityToken })
    expect(chained.accessKeyId).not.toBe(result.accessKeyId)
    await kubeconfigWith(chained)
  })

  it("OIDCRoleArnCredentialsProvider (RRSA, AssumeRoleWithOIDC unsigned) gets credentials that fetch a kubeconfig", async () => {
    const result = await oidc(await rrsaToken())
    expect(result.providerName).toBe("oidc_role_arn")
    const config = await kubeconfigWith(result)
    expect(config.server).toBe(cloud.apiserver)
  })

  it("URLCredentialsProvider (ALIBABA_CLOUD_CREDENTIALS_URI) gets credentials that fetch a kubeconfig", async () => {
    const result = await alibabaProvider(
      cloud,
      { kind: "uri" },
      { ALIBABA_CLOUD_CREDENTIALS_URI: cloud.alibaba.credentialsUri }
    )
    expect(result.providerName).toBe("credential_uri")
    await kubeconfigWith(result)
  })
})

describe("Alibaba STS refusals", () => {
  it("refused trust: NoPermission for AssumeRole, AuthenticationFail.NoPermission for OIDC", async () => {
    expect(codeOf(await ramRoleArn({ roleArn: role("kubecred-mock-oidc-only").arn }))).toBe("NoPermission")
    expect(codeOf(await oidc(await rrsaToken(), role("kubecred-mock-key-only").arn))).toBe(
      "AuthenticationFail.NoPermission"
    )
    expect(codeOf(await oidc(await rrsaToken(), role("kubecred-mock-ci").arn))).toBe("AuthenticationFail.NoPermission")
    await kubeconfigWith(await oidc(await rrsaToken("system:serviceaccount:ci:deploy"), role("kubecred-mock-ci").arn))
    expect(codeOf(await oidc(await rrsaToken(), undefined, `${oidcProvider().id}-nope`))).toBe(
      "AuthenticationFail.NoPermission"
    )
  })

  it("expired, mis-addressed, foreign and tampered OIDC tokens", async () => {
    const expired = await mint(cloud, { audience: "sts.aliyuncs.com", subject: "a", expiresInSeconds: -120 })
    expect(codeOf(await oidc(expired))).toBe("AuthenticationFail.OIDCToken.Expired")
    const tke = await mint(cloud, { audience: "sts.cloud.tencent.com", subject: "a" })
    expect(codeOf(await oidc(tke))).toBe("AuthenticationFail.OIDCToken.AudienceNotMatch")
    const foreign = await mint(cloud, { audience: "sts.aliyuncs.com", subject: "a", issuer: "https://issuer.invalid" })
    expect(codeOf(await oidc(foreign))).toBe("AuthenticationFail.OIDCToken.Invalid")
    const [header, payload, signature] = (await rrsaToken()).split(".")
    const claims = JSON.parse(Buffer.from(payload!, "base64url").toString())
    const forged = Buffer.from(JSON.stringify({ ...claims, sub: "root" })).toString("base64url")
    expect(codeOf(await oidc([header, forged, signature].join(".")))).toBe(
      "AuthenticationFail.OIDCToken.InvalidSignature"
    )
    expect(codeOf(await oidc("abc.def"))).toBe("AuthenticationFail.OIDCToken.Invalid")
  })

  it("without the mock's CA the provider refuses the TLS connection (the STS port really is HTTPS)", async () => {
    const untrusted = await alibabaProvider(
      cloud,
      { kind: "ramRoleArn", ...demoKey(), roleArn: role("kubecred-mock-role").arn, stsEndpoint: sts() },
      { NODE_EXTRA_CA_CERTS: "" }
    )
    expect(untrusted.ok).toBe(false)
    expect(untrusted.message).toMatch(/certificate/i)
  })

  it("a bad signature: the provider recognises the mock's string to sign as its own", async () => {
    const result = await ramRoleArn({ accessKeySecret: "wrong" })
    expect(result).toEqual({ ok: false, message: "the access key secret is invalid" })
    expect(codeOf(await ramRoleArn({ accessKeyId: "LTAIunknown" }))).toBe("InvalidAccessKeyId.NotFound")
  })

  it("a request changed after signing (the role asked for) is refused", async () => {
    const proxy = await startTamperProxy(cloud.alibaba.endpoint, {
      body: (body) => body.replace("kubecred-mock-key-only", "kubecred-mock-role")
    })
    try {
      const provider = RamRoleArnProvider.builder()
        .withCredentialsProvider(
          StaticAkProvider.builder()
            .withAccessKeyId(demoKey().accessKeyId)
            .withAccessKeySecret(demoKey().accessKeySecret)
            .build()
        )
        .withRoleArn(role("kubecred-mock-key-only").arn)
        .withStsEndpoint("sts.aliyuncs.com")
        .build()
      // Plain http to the tampering proxy; the request is otherwise the provider's own.
      const open = provider as unknown as { doRequest: (request: any) => Promise<unknown> }
      const original = open.doRequest
      open.doRequest = (request) => {
        request.protocol = "http"
        request.host = proxy.endpoint
        return original(request)
      }
      const error = await Clients.thrown(() => provider.getCredentials())
      expect(error.message).toMatch(/^refresh session token failed: .*"Code":"SignatureDoesNotMatch"/)
    } finally {
      await proxy.close()
    }
  })

  it("unknown roles, bad session names and durations", async () => {
    expect(codeOf(await ramRoleArn({ roleArn: `${role("kubecred-mock-role").arn}-nope` }))).toBe("EntityNotExist.Role")
    expect(codeOf(await ramRoleArn({ roleArn: "kubecred-mock-role" }))).toBe("InvalidParameter.RoleArn")
    expect(codeOf(await ramRoleArn({ roleSessionName: "bad name!" }))).toBe("InvalidParameter.RoleSessionName")
    expect(codeOf(await ramRoleArn({ durationSeconds: 3601 }))).toBe("InvalidParameter.DurationSeconds")
  })

  it("expired STS credentials: the ACK API and the STS answer InvalidSecurityToken.Expired", async () => {
    const result = await ramRoleArn()
    await kubeconfigWith(result)
    expect(await cloud.expireStsSessions(result.accessKeyId)).toBe(1)
    const error = await Clients.thrown(() => kubeconfigWith(result))
    expect(error.code).toBe("InvalidSecurityToken.Expired")
    expect(codeOf(await ramRoleArn({ ...result }))).toBe("InvalidSecurityToken.Expired")
  })
})
