/** The RPC signature of Alibaba's STS, against a request the official RamRoleArnCredentialsProvider signed. */
import { describe, expect, it } from "@effect/vitest"
import { signature, stringToSign } from "../../src/internal/alibabaSts.js"

// Captured from @alicloud/credentials 2.4.7 (secret "secret"), docs/mock-sts.md "Captured requests".
const query =
  "Version=2015-04-01&Action=AssumeRole&Format=JSON&Timestamp=2026-12-01T09%3A26%3A01Z&SignatureMethod=HMAC-SHA1&SignatureVersion=1.0&SignatureNonce=13ce005d828dedd7b11a7a25e51fb1c4&AccessKeyId=LTAIEXAMPLE&Signature=oDdSB9z3Q90F5wAh8lvmQMd6biY%3D"
const body = "RoleArn=acs%3Aram%3A%3A1000000000000001%3Arole%2Fdemo&RoleSessionName=kubecred&DurationSeconds=3600"
const params = () => new Map([...new URLSearchParams(query), ...new URLSearchParams(body)])

describe("Alibaba STS RPC signature", () => {
  it("reproduces the official provider's signature", () => {
    const all = params()
    expect(signature("secret", stringToSign("POST", all))).toBe(all.get("Signature"))
  })

  it("any change to a signed parameter, the method or the secret changes it", () => {
    const all = params()
    const given = all.get("Signature")
    expect(signature("secret2", stringToSign("POST", all))).not.toBe(given)
    expect(signature("secret", stringToSign("GET", all))).not.toBe(given)
    for (const [key, value] of all) {
      if (key === "Signature") continue
      const changed = new Map(all).set(key, `${value}x`)
      expect(signature("secret", stringToSign("POST", changed))).not.toBe(given)
    }
  })

  it("the string to sign sorts by name and encodes the RFC 3986 way", () => {
    const text = stringToSign(
      "POST",
      new Map([
        ["b", "x y*"],
        ["a", "é/~"],
        ["Signature", "ignored"]
      ])
    )
    expect(text).toBe("POST&%2F&a%3D%25C3%25A9%252F~%26b%3Dx%2520y%252A")
  })
})
