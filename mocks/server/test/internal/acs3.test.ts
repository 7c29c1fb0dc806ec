/** ACS3 (V3) and ROA v2 verification against the requests captured from the official SDK (docs/contracts/ack.md "Captured requests"). */
import { createHash } from "node:crypto"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as Acs from "../../src/internal/acs3.js"

const v3Headers = {
  host: "127.0.0.1:39001",
  "x-acs-version": "2015-12-15",
  "x-acs-action": "DescribeClusterUserKubeconfig",
  "user-agent": "AlibabaCloud (linux; x64) Node.js/v20.20.2 Core/1.0.1 TeaDSL/2",
  "x-acs-date": "2026-11-22T13:57:39Z",
  "x-acs-signature-nonce": "3642e34d9943371c3289d012392f741751fea5423490cb40be148b9d77482cf0",
  accept: "application/json",
  "x-acs-content-sha256": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
  "x-acs-credentials-provider": "static_ak"
}
const v3 = {
  method: "GET",
  rawPath: "/k8s/c-abc123/user_config",
  query: Acs.parseQuery("PrivateIpAddress=false&TemporaryDurationMinutes=60"),
  headers: v3Headers,
  host: "127.0.0.1:39001"
}
const v3Authorization =
  "ACS3-HMAC-SHA256 Credential=AKIDEXAMPLE,SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-credentials-provider;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=b9339249ea01f9074c98cab53708345b6fb2e4f044931025ced5ff7143042b26"

describe("ACS3-HMAC-SHA256", () => {
  it("rebuilds the captured canonical request and string to sign", () => {
    const auth = Acs.parseV3(v3Authorization)!
    const canonical = Acs.canonicalRequestV3(v3, auth.signedHeaders)
    expect(canonical.split("\n").slice(0, 4)).toEqual([
      "GET",
      "/k8s/c-abc123/user_config",
      "PrivateIpAddress=false&TemporaryDurationMinutes=60",
      "host:127.0.0.1:39001"
    ])
    expect(createHash("sha256").update(canonical).digest("hex")).toBe(
      "9a1308acd83fe3addfbde278e1b364b07c54b20deea5fda2b37f33adc5bd440e"
    )
  })

  it("verifies the captured signature and refuses changes", () => {
    const auth = Acs.parseV3(v3Authorization)!
    expect(Acs.verifyV3("secret", auth, v3)).toBe(true)
    expect(Acs.verifyV3("wrong", auth, v3)).toBe(false)
    expect(Acs.verifyV3("secret", auth, { ...v3, host: "127.0.0.1:39002" })).toBe(false)
    expect(
      Acs.verifyV3("secret", auth, {
        ...v3,
        query: Acs.parseQuery("PrivateIpAddress=true&TemporaryDurationMinutes=60")
      })
    ).toBe(false)
  })

  it("canonical query: decoded then RFC 3986 encoded, sorted by code point", () => {
    // The SDK sends Node querystring encoding (leaves !'()* raw); the signature uses RFC 3986.
    const sent = "name=a%20b*(c)!~%27%C3%A9%2F%2B%26%3D&B=2&a=1"
    const canonical = Acs.canonicalRequestV3({ ...v3, query: Acs.parseQuery(sent) }, ["host"]).split("\n")[2]
    expect(canonical).toBe("B=2&a=1&name=a%20b%2A%28c%29%21~%27%C3%A9%2F%2B%26%3D")
  })

  it("RFC 3986 encoding round-trips through decoding for any string", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme" }), (value) => {
        const encoded = Acs.rfc3986(value)
        expect(encoded).toMatch(/^[A-Za-z0-9\-._~%]*$/)
        expect(Acs.parseQuery(`k=${encoded}`)).toEqual([["k", value]])
      })
    )
  })
})

describe("ROA v2 (acs AK:signature)", () => {
  it("verifies the captured legacy signature", () => {
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
    const request = { ...v3, headers, host: headers.host }
    const auth = Acs.parseV2("acs AKIDEXAMPLE:ol4XJ/7UP51ILK6jWsC/BH97FV0=")!
    expect(auth.accessKeyId).toBe("AKIDEXAMPLE")
    expect(Acs.verifyV2("secret", auth.signature, request)).toBe(true)
    expect(Acs.verifyV2("wrong", auth.signature, request)).toBe(false)
  })
})
