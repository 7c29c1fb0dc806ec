import { describe, expect, it } from "@effect/vitest"
import * as fc from "fast-check"
import { createHmac } from "node:crypto"
import { sign, signature, stringToSign } from "../../src/internal/v2Signer.js"

describe("v2Signer", () => {
  it("reproduces the captured legacy ROA signature", () => {
    // docs/contracts/ack.md "Captured requests", legacy V2: the SDK signed these headers with secret "secret"
    const headers = {
      date: "Sun, 22 Nov 2026 13:57:40 GMT",
      host: "127.0.0.1:40237",
      accept: "application/json",
      "x-acs-signature-nonce": "d3bcedf0751201cc5e43ed11953b1ba09b2a5d31734078011f57b2c6565e03cb",
      "x-acs-signature-method": "HMAC-SHA1",
      "x-acs-signature-version": "1.0",
      "x-acs-version": "2015-12-15",
      "x-acs-action": "DescribeClusterUserKubeconfig",
      "user-agent": "AlibabaCloud (linux; x64) Node.js/v20.20.2 Core/1.0.1 TeaDSL/2",
      "x-acs-credentials-provider": "static_ak"
    }
    const toSign = stringToSign({
      method: "GET",
      pathname: "/k8s/c-abc123/user_config",
      query: [
        ["TemporaryDurationMinutes", "60"],
        ["PrivateIpAddress", "false"]
      ],
      headers
    })
    expect(toSign).toBe(
      "GET\napplication/json\n\n\nSun, 22 Nov 2026 13:57:40 GMT\n" +
        "x-acs-action:DescribeClusterUserKubeconfig\nx-acs-credentials-provider:static_ak\n" +
        "x-acs-signature-method:HMAC-SHA1\nx-acs-signature-nonce:d3bcedf0751201cc5e43ed11953b1ba09b2a5d31734078011f57b2c6565e03cb\n" +
        "x-acs-signature-version:1.0\nx-acs-version:2015-12-15\n" +
        "/k8s/c-abc123/user_config?PrivateIpAddress=false&TemporaryDurationMinutes=60"
    )
    expect(signature("secret", toSign)).toBe("ol4XJ/7UP51ILK6jWsC/BH97FV0=")
  })

  it("property: signatures verify independently; STS headers are included", () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1 }),
        fc.option(fc.string({ minLength: 1 }), { nil: undefined }),
        fc.integer({ min: 0, max: 4_102_444_800_000 }),
        (secret, token, epochMillis) => {
          const h = sign({
            method: "GET",
            host: "cs.cn-hangzhou.aliyuncs.com",
            pathname: "/api/v1/clusters",
            query: [
              ["region_id", "cn-hangzhou"],
              ["page_size", "100"]
            ],
            action: "DescribeClustersV1",
            credentials: { accessKeyId: "AK", accessKeySecret: secret, securityToken: token },
            epochMillis,
            nonce: "n"
          })
          const acs = Object.keys(h)
            .filter((k) => k.startsWith("x-acs-"))
            .sort()
            .map((k) => `${k}:${h[k]!.replace(/[\t\n\r\f]/g, " ").trim()}\n`)
            .join("")
          const sts = `GET\napplication/json\n\n\n${h.date}\n${acs}/api/v1/clusters?page_size=100&region_id=cn-hangzhou`
          expect(h.authorization).toBe(`acs AK:${createHmac("sha1", secret).update(sts).digest("base64")}`)
          expect(h["x-acs-security-token"]).toBe(token)
        }
      )
    )
  })
})
