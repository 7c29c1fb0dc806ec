import { describe, expect, it } from "@effect/vitest"
import * as fc from "fast-check"
import { createHash, createHmac } from "node:crypto"
import {
  canonicalQuery,
  canonicalRequest,
  encodePathSegment,
  formatDate,
  makeNonce,
  percentEncode,
  sign,
  signature,
  stringToSign
} from "../../src/internal/acs3Signer.js"

/** The V3 request captured from @alicloud/cs20151215 7.2.0 (docs/contracts/ack.md "Captured requests"), headers as sent. */
const captured = {
  method: "GET",
  pathname: "/k8s/c-abc123/user_config",
  query: [
    ["PrivateIpAddress", "false"],
    ["TemporaryDurationMinutes", "60"]
  ] as const,
  headers: {
    host: "127.0.0.1:39001",
    "x-acs-version": "2015-12-15",
    "x-acs-action": "DescribeClusterUserKubeconfig",
    "user-agent": "AlibabaCloud (linux; x64) Node.js/v20.20.2 Core/1.0.1 TeaDSL/2",
    "x-acs-date": "2026-11-22T13:57:39Z",
    "x-acs-signature-nonce": "3642e34d9943371c3289d012392f741751fea5423490cb40be148b9d77482cf0",
    accept: "application/json",
    "x-acs-content-sha256": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "x-acs-credentials-provider": "static_ak"
  },
  payloadHash: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
}

const capturedCanonical = [
  "GET",
  "/k8s/c-abc123/user_config",
  "PrivateIpAddress=false&TemporaryDurationMinutes=60",
  "host:127.0.0.1:39001",
  "x-acs-action:DescribeClusterUserKubeconfig",
  "x-acs-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
  "x-acs-credentials-provider:static_ak",
  "x-acs-date:2026-11-22T13:57:39Z",
  "x-acs-signature-nonce:3642e34d9943371c3289d012392f741751fea5423490cb40be148b9d77482cf0",
  "x-acs-version:2015-12-15",
  "",
  "host;x-acs-action;x-acs-content-sha256;x-acs-credentials-provider;x-acs-date;x-acs-signature-nonce;x-acs-version",
  "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
].join("\n")

/**
 * An independent verifier, written from the contract text and not from the signer: it starts from what a
 * server sees (a URL string and a header list), decodes the query and re-encodes it, and recomputes the signature.
 */
const verify = (url: string, headers: Record<string, string>, secret: string): boolean => {
  const auth = headers.authorization!
  const m = /^ACS3-HMAC-SHA256 Credential=([^,]+),SignedHeaders=([^,]+),Signature=([0-9a-f]{64})$/.exec(auth)
  if (!m) return false
  const [, , signedList, sig] = m
  const u = new URL(url)
  const pairs = u.search
    .slice(1)
    .split("&")
    .filter((s) => s !== "")
    .map((s) => {
      const i = s.indexOf("=")
      return [decodeURIComponent(s.slice(0, i)), decodeURIComponent(s.slice(i + 1))] as const
    })
  const rfc3986 = (s: string) =>
    Array.from(new TextEncoder().encode(s))
      .map((b) => {
        const c = String.fromCharCode(b)
        return /[A-Za-z0-9\-_.~]/.test(c) ? c : `%${b.toString(16).toUpperCase().padStart(2, "0")}`
      })
      .join("")
  const q = pairs
    .map(([k, v]) => [rfc3986(k), rfc3986(v)] as const)
    .sort((a, b) => Buffer.compare(Buffer.from(a[0]), Buffer.from(b[0])))
    .map(([k, v]) => `${k}=${v}`)
    .join("&")
  const names = signedList!.split(";")
  const lowered = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]))
  const expectNames = Object.keys(lowered)
    .filter((n) => n === "host" || n === "content-type" || n.startsWith("x-acs-"))
    .sort()
  if (names.join(";") !== expectNames.join(";")) return false
  if (lowered.host !== u.host) return false
  const canon = [
    "GET",
    u.pathname,
    q,
    names.map((n) => `${n}:${lowered[n]!.trim()}\n`).join(""),
    signedList,
    lowered["x-acs-content-sha256"]
  ].join("\n")
  const sts = `ACS3-HMAC-SHA256\n${createHash("sha256").update(canon, "utf8").digest("hex")}`
  return createHmac("sha256", secret).update(sts, "utf8").digest("hex") === sig
}

describe("acs3Signer", () => {
  it("rebuilds the captured canonical request byte for byte", () => {
    const { canonical, signedHeaders } = canonicalRequest(captured)
    expect(canonical).toBe(capturedCanonical)
    expect(signedHeaders).toBe(
      "host;x-acs-action;x-acs-content-sha256;x-acs-credentials-provider;x-acs-date;x-acs-signature-nonce;x-acs-version"
    )
    expect(createHash("sha256").update(canonical).digest("hex")).toBe(
      "9a1308acd83fe3addfbde278e1b364b07c54b20deea5fda2b37f33adc5bd440e"
    )
    expect(stringToSign(canonical)).toBe(
      "ACS3-HMAC-SHA256\n9a1308acd83fe3addfbde278e1b364b07c54b20deea5fda2b37f33adc5bd440e"
    )
    // the SDK's own signature of that request, with the capture's secret "secret"
    expect(signature("secret", stringToSign(canonical))).toBe(
      "b9339249ea01f9074c98cab53708345b6fb2e4f044931025ced5ff7143042b26"
    )
  })

  it("signs like the SDK: same headers in, same authorization out", () => {
    const headers = sign({
      method: "GET",
      host: "127.0.0.1:39001",
      pathname: "/k8s/c-abc123/user_config",
      query: captured.query,
      action: "DescribeClusterUserKubeconfig",
      credentials: { accessKeyId: "AKIDEXAMPLE", accessKeySecret: "secret" },
      epochMillis: Date.parse("2026-11-22T13:57:39Z"),
      nonce: "3642e34d9943371c3289d012392f741751fea5423490cb40be148b9d77482cf0"
    })
    // the SDK also sent x-acs-credentials-provider (signed); we do not send it, so the signed set is one shorter
    expect(headers.authorization).toMatch(
      /^ACS3-HMAC-SHA256 Credential=AKIDEXAMPLE,SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=[0-9a-f]{64}$/
    )
    expect(headers["x-acs-date"]).toBe("2026-11-22T13:57:39Z")
    expect(headers.accept).toBe("application/json")
    expect(
      verify(`http://127.0.0.1:39001/k8s/c-abc123/user_config?${canonicalQuery(captured.query)}`, headers, "secret")
    ).toBe(true)
  })

  it("signs STS credentials with x-acs-accesskey-id and x-acs-security-token", () => {
    const headers = sign({
      method: "GET",
      host: "cs.cn-hangzhou.aliyuncs.com",
      pathname: "/api/v1/clusters",
      query: [["page_number", "1"]],
      action: "DescribeClustersV1",
      credentials: { accessKeyId: "STS.AK", accessKeySecret: "s3cret", securityToken: "EXAMPLESTSTOKEN" },
      epochMillis: 0,
      nonce: makeNonce()
    })
    expect(headers["x-acs-accesskey-id"]).toBe("STS.AK")
    expect(headers["x-acs-security-token"]).toBe("EXAMPLESTSTOKEN")
    expect(headers.authorization).toContain(
      "SignedHeaders=host;x-acs-accesskey-id;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-security-token;x-acs-signature-nonce;x-acs-version,"
    )
    expect(verify("https://cs.cn-hangzhou.aliyuncs.com/api/v1/clusters?page_number=1", headers, "s3cret")).toBe(true)
  })

  it("encodes the RFC 3986 way", () => {
    expect(percentEncode("a b*(c)!~'é/+&=")).toBe("a%20b%2A%28c%29%21~%27%C3%A9%2F%2B%26%3D")
    expect(encodePathSegment("c-abc~1")).toBe("c-abc~1")
    expect(
      canonicalQuery([
        ["b", "2"],
        ["a", "x y"],
        ["B", "1"]
      ])
    ).toBe("B=1&a=x%20y&b=2")
  })

  it("formats x-acs-date at second precision, and nonces are 64 fresh hex characters", () => {
    expect(formatDate(Date.parse("2026-11-22T13:57:39.987Z"))).toBe("2026-11-22T13:57:39Z")
    const a = makeNonce()
    expect(a).toMatch(/^[0-9a-f]{64}$/)
    expect(makeNonce()).not.toBe(a)
  })

  it("property: every signed request verifies independently, and any tampering breaks it", () => {
    const text = fc.string({ unit: "grapheme", maxLength: 20 })
    const key = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,15}$/)
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.tuple(key, text), { selector: ([k]) => k, maxLength: 6 }),
        fc.stringMatching(/^c[0-9a-z]{1,32}$/),
        fc.string({ minLength: 1, maxLength: 40 }),
        fc.option(fc.string({ minLength: 1, maxLength: 60 }), { nil: undefined }),
        fc.integer({ min: 1024, max: 65535 }),
        fc.integer({ min: 0, max: 4_102_444_800_000 }),
        (query, clusterId, secret, token, port, epochMillis) => {
          const host = `127.0.0.1:${port}`
          const pathname = `/k8s/${encodePathSegment(clusterId)}/user_config`
          const headers = sign({
            method: "GET",
            host,
            pathname,
            query,
            action: "DescribeClusterUserKubeconfig",
            credentials: { accessKeyId: "AK", accessKeySecret: secret, securityToken: token },
            epochMillis,
            nonce: makeNonce()
          })
          const qs = canonicalQuery(query)
          const url = `http://${host}${pathname}${qs === "" ? "" : `?${qs}`}`
          expect(verify(url, headers, secret)).toBe(true)
          expect(verify(url, headers, `${secret}x`)).toBe(false)
          expect(verify(url, { ...headers, "x-acs-action": "DescribeClustersV1" }, secret)).toBe(false)
          expect(verify(`http://${host}/k8s/c-other/user_config${qs === "" ? "" : `?${qs}`}`, headers, secret)).toBe(
            false
          )
        }
      ),
      { numRuns: 300 }
    )
  })
})
