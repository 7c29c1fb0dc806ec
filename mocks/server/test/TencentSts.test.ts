/**
 * The official Tencent credential providers (tencentcloud-sdk-nodejs-common `STSCredential`,
 * `OIDCRoleArnCredential`) against the mock STS over HTTPS, and the temporary credentials they get fetching a
 * kubeconfig through the official TKE SDK; then the refusals, each with the documented code.
 */
import { CommonClient, type Credential, STSCredential } from "tencentcloud-sdk-nodejs-common"
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type MockCloud, start } from "../src/index.js"
import { commonName, parseKubeconfig } from "./support/certificates.js"
import * as Clients from "./support/clients.js"
import { mint, tencentSts, tencentStsConfig, tkeOidcCredential } from "./support/sts.js"
import { startTamperProxy } from "./support/tamperProxy.js"

let cloud: MockCloud
beforeAll(async () => {
  cloud = await start({ tencentRateLimit: 10_000 })
})
afterAll(() => cloud.stop())

const role = (name: string) => cloud.tencent.roles.find((r) => r.name === name)!
const provider = () => cloud.tencent.oidcProviders[0]!
const demoKey = () => ({ secretId: cloud.tencent.secretId, secretKey: cloud.tencent.secretKey })
const running = () => cloud.tencent.clusters.find((c) => c.status === "Running")!.clusterId

/** The TKE SDK with these credentials fetches a kubeconfig: the credentials are real to the mock. */
const kubeconfigWith = async (credential: Credential) => {
  const client = Clients.tencent(cloud, {
    secretId: credential.secretId!,
    secretKey: credential.secretKey!,
    token: credential.token ?? ""
  })
  const response = await client.DescribeClusterKubeconfig({ ClusterId: running(), IsExtranet: true })
  return parseKubeconfig(response.Kubeconfig!)
}

const tokenFile = (token: string) => {
  const path = join(mkdtempSync(join(tmpdir(), "kubecred-oidc-")), "token")
  writeFileSync(path, token)
  return path
}

/** Runs with the TKE pod-identity variables set, as TKE sets them in a pod. */
const withTkeEnv = async <A>(vars: Record<string, string>, run: () => Promise<A>): Promise<A> => {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]))
  Object.assign(process.env, vars)
  try {
    return await run()
  } finally {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key]
      else process.env[key] = value
    }
  }
}

const tkeEnv = (token: string, roleArn = role("kubecred-mock-role").arn) => ({
  TKE_REGION: "ap-guangzhou",
  TKE_PROVIDER_ID: provider().id,
  TKE_WEB_IDENTITY_TOKEN_FILE: tokenFile(token),
  TKE_ROLE_ARN: roleArn
})

const code = async (call: () => Promise<unknown>) => {
  const error = await Clients.thrown(call)
  expect(error).toBeInstanceOf(Clients.TencentCloudSDKHttpException)
  return error.code as string
}

describe("Tencent STS through the official providers", () => {
  it("the ready file names the first role as trusted by the demo key and the OIDC provider", () => {
    const first = cloud.tencent.roles[0]!
    expect(first.principals).toContain("key")
    expect(first.oidcProviders).toContain(provider().name)
    expect(first.arn).toMatch(/^qcs::cam::uin\/\d+:roleName\/kubecred-mock-role$/)
    expect(provider().audiences).toEqual(["sts.cloud.tencent.com"])
    expect(cloud.tencent.stsEndpoint).toBe(cloud.https)
  })

  it("STSCredential (AssumeRole, TC3-signed with the demo key) gets credentials that fetch a kubeconfig", async () => {
    const credential = new STSCredential(tencentStsConfig(cloud, demoKey()) as never, {
      RoleArn: role("kubecred-mock-role").arn,
      RoleSessionName: "kubecred-test",
      DurationSeconds: 900
    })
    const temporary = await credential.getCredential()
    expect(temporary.secretId).toMatch(/^AKID/)
    expect(temporary.secretId).not.toBe(cloud.tencent.secretId)
    expect(temporary.token).toBeTruthy()
    const config = await kubeconfigWith(temporary)
    expect(config.server).toBe(cloud.apiserver)
    expect(commonName(config.cert)).toMatch(/^\d{19}$/)
    // The expiry the SDK keeps is the duration asked for.
    const raw = await tencentSts(cloud, demoKey()).request("AssumeRole", {
      RoleArn: role("kubecred-mock-role").arn,
      RoleSessionName: "kubecred-test",
      DurationSeconds: 1800
    })
    expect(raw.ExpiredTime - Math.floor(Date.now() / 1000)).toBeGreaterThan(1790)
    expect(raw.ExpiredTime - Math.floor(Date.now() / 1000)).toBeLessThanOrEqual(1800)
    expect(raw.Expiration).toBe(new Date(raw.ExpiredTime * 1000).toISOString().replace(/\.\d{3}Z$/, "Z"))
  })

  it("OIDCRoleArnCredential (TKE pod identity, AssumeRoleWithWebIdentity unsigned) gets credentials that fetch a kubeconfig", async () => {
    const token = await mint(cloud, { audience: "sts.cloud.tencent.com", subject: "system:serviceaccount:default:app" })
    const temporary = await withTkeEnv(tkeEnv(token), () => tkeOidcCredential(tencentStsConfig(cloud)).getCredential())
    expect(temporary.secretId).toMatch(/^AKID/)
    const config = await kubeconfigWith(temporary)
    expect(config.server).toBe(cloud.apiserver)
  })

  it("a role session may assume a role whose trust names it (chaining)", async () => {
    const first = await new STSCredential(tencentStsConfig(cloud, demoKey()) as never, {
      RoleArn: role("kubecred-mock-role").arn,
      RoleSessionName: "hop-1"
    }).getCredential()
    const second = await new STSCredential(tencentStsConfig(cloud, first) as never, {
      RoleArn: role("kubecred-mock-role").arn,
      RoleSessionName: "hop-2"
    }).getCredential()
    expect(second.secretId).not.toBe(first.secretId)
    expect(
      await code(() =>
        tencentSts(cloud, first).request("AssumeRole", {
          RoleArn: role("kubecred-mock-key-only").arn,
          RoleSessionName: "hop-2"
        })
      )
    ).toBe("UnauthorizedOperation")
  })
})

describe("Tencent STS refusals", () => {
  const assume = (params: Record<string, unknown>, credential: Credential = demoKey()) =>
    code(() =>
      tencentSts(cloud, credential).request("AssumeRole", {
        RoleArn: role("kubecred-mock-role").arn,
        RoleSessionName: "kubecred-test",
        ...params
      })
    )
  const withToken = async (token: string, params: Record<string, unknown> = {}) =>
    code(() =>
      tencentSts(cloud).request(
        "AssumeRoleWithWebIdentity",
        {
          ProviderId: provider().id,
          WebIdentityToken: token,
          RoleArn: role("kubecred-mock-role").arn,
          RoleSessionName: "kubecred-test",
          ...params
        },
        { skipSign: true }
      )
    )
  const good = () => mint(cloud, { audience: "sts.cloud.tencent.com", subject: "system:serviceaccount:default:app" })

  it("refused trust: a role that trusts only the OIDC provider, and one that trusts only the key", async () => {
    expect(await assume({ RoleArn: role("kubecred-mock-oidc-only").arn })).toBe("UnauthorizedOperation")
    expect(await withToken(await good(), { RoleArn: role("kubecred-mock-key-only").arn })).toBe("UnauthorizedOperation")
    // A subject outside the role's subjects.
    expect(await withToken(await good(), { RoleArn: role("kubecred-mock-ci").arn })).toBe("UnauthorizedOperation")
    const ci = await mint(cloud, { audience: "sts.cloud.tencent.com", subject: "system:serviceaccount:ci:runner" })
    const accepted = await tencentSts(cloud).request(
      "AssumeRoleWithWebIdentity",
      {
        ProviderId: provider().id,
        WebIdentityToken: ci,
        RoleArn: role("kubecred-mock-ci").arn,
        RoleSessionName: "ci",
        DurationSeconds: 3600
      },
      { skipSign: true }
    )
    expect(accepted.Credentials.TmpSecretId).toMatch(/^AKID/)
  })

  it("an expired, foreign, mis-addressed or tampered web identity token", async () => {
    const expired = await mint(cloud, { audience: "sts.cloud.tencent.com", subject: "a", expiresInSeconds: -120 })
    const wrongAudience = await mint(cloud, { audience: "sts.aliyuncs.com", subject: "a" })
    const foreign = await mint(cloud, {
      audience: "sts.cloud.tencent.com",
      subject: "a",
      issuer: "https://issuer.invalid"
    })
    const [header, payload, signature] = (await good()).split(".")
    const claims = JSON.parse(Buffer.from(payload!, "base64url").toString())
    const tampered = [
      header,
      Buffer.from(JSON.stringify({ ...claims, sub: "admin" })).toString("base64url"),
      signature
    ].join(".")
    for (const token of [expired, wrongAudience, foreign, tampered, "not-a-jwt"]) {
      expect(await withToken(token)).toBe("InvalidParameter.WebIdentityTokenError")
    }
    const official = await Clients.thrown(() =>
      withTkeEnv(tkeEnv(expired), () => tkeOidcCredential(tencentStsConfig(cloud)).getCredential())
    )
    expect(official.message).toContain("Get STS AssumeRoleWithWebIdentity failed: The token has expired.")
    expect(await withToken(await good(), { ProviderId: "nobody" })).toBe("InvalidParameter.ParamError")
  })

  it("a bad signature, an unknown key, unknown roles, bad session names and durations", async () => {
    expect(await assume({}, { ...demoKey(), secretKey: "wrong" })).toBe("AuthFailure.SignatureFailure")
    expect(await assume({}, { ...demoKey(), secretId: "AKIDunknown" })).toBe("AuthFailure.SecretIdNotFound")
    const official = await Clients.thrown(() =>
      new STSCredential(tencentStsConfig(cloud, { ...demoKey(), secretKey: "wrong" }) as never, {
        RoleArn: role("kubecred-mock-role").arn,
        RoleSessionName: "x1"
      }).getCredential()
    )
    expect(official.message).toMatch(/^Get STS AssumeRole failed: The provided credentials could not be validated/)
    expect(await assume({ RoleArn: `${role("kubecred-mock-role").arn}-nope` })).toBe("ResourceNotFound.RoleNotFound")
    expect(await assume({ RoleArn: "qcs::cam::uin/1:roleName/kubecred-mock-role" })).toBe(
      "ResourceNotFound.RoleNotFound"
    )
    expect(await assume({ RoleSessionName: "a" })).toBe("InvalidParameter.ParamError")
    expect(await assume({ RoleSessionName: "bad name!" })).toBe("InvalidParameter.ParamError")
    expect(await assume({ DurationSeconds: 43201 })).toBe("InvalidParameter.OverTimeError")
    const ci = await mint(cloud, { audience: "sts.cloud.tencent.com", subject: "system:serviceaccount:ci:runner" })
    expect(await withToken(ci, { RoleArn: role("kubecred-mock-ci").arn, DurationSeconds: 3601 })).toBe(
      "InvalidParameter.OverTimeError"
    )
  })

  it("a request changed after signing (the role asked for) is refused", async () => {
    const proxy = await startTamperProxy(cloud.tencent.endpoint, {
      body: (body) => body.replace("kubecred-mock-key-only", "kubecred-mock-role")
    })
    try {
      const client = new CommonClient("sts.tencentcloudapi.com", "2018-08-13", {
        credential: demoKey(),
        region: "ap-guangzhou",
        profile: { httpProfile: { endpoint: proxy.endpoint, protocol: "http://" } }
      } as never)
      const params = { RoleArn: role("kubecred-mock-key-only").arn, RoleSessionName: "tamper" }
      expect(await code(() => client.request("AssumeRole", params))).toBe("AuthFailure.SignatureFailure")
    } finally {
      await proxy.close()
    }
  })

  it("expired STS credentials: the TKE API and the STS answer AuthFailure.TokenFailure", async () => {
    const temporary = await new STSCredential(tencentStsConfig(cloud, demoKey()) as never, {
      RoleArn: role("kubecred-mock-role").arn,
      RoleSessionName: "to-expire"
    }).getCredential()
    await kubeconfigWith(temporary)
    expect(await cloud.expireStsSessions(temporary.secretId)).toBe(1)
    const error = await Clients.thrown(() => kubeconfigWith(temporary))
    expect(error.code).toBe("AuthFailure.TokenFailure")
    expect(error.message).toBe("The token has expired.")
    expect(await assume({}, temporary)).toBe("AuthFailure.TokenFailure")
  })

  it("a lifetime override makes sessions short, and they expire on the mock's clock", async () => {
    cloud.setStsLifetime(60)
    try {
      const raw = await tencentSts(cloud, demoKey()).request("AssumeRole", {
        RoleArn: role("kubecred-mock-role").arn,
        RoleSessionName: "short"
      })
      expect(raw.ExpiredTime - Math.floor(Date.now() / 1000)).toBeLessThanOrEqual(60)
      const temporary = {
        secretId: raw.Credentials.TmpSecretId,
        secretKey: raw.Credentials.TmpSecretKey,
        token: raw.Credentials.Token
      }
      await kubeconfigWith(temporary)
      cloud.setClock(61_000)
      try {
        const error = await Clients.thrown(() => kubeconfigWith(temporary))
        expect(error.code).toBe("AuthFailure.TokenFailure")
      } finally {
        cloud.setClock(0)
      }
    } finally {
      cloud.setStsLifetime(undefined)
    }
  })
})
