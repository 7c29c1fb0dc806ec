/** TC3-HMAC-SHA256 verification against the request captured from the official SDK (docs/contracts/tke.md "Captured requests"). */
import { createHash } from "node:crypto"
import { describe, expect, it } from "vitest"
import * as Tc3 from "../../src/internal/tc3.js"

const body = '{"ClusterId":"cls-abc123","IsExtranet":false}'
const captured = {
  method: "POST",
  rawQuery: "",
  headers: { "content-type": "application/json", host: "127.0.0.1:44475" },
  body: new TextEncoder().encode(body),
  hostname: "127.0.0.1",
  timestamp: "1795355856"
}
const authorization =
  "TC3-HMAC-SHA256 Credential=AKIDEXAMPLE/2026-11-22/127/tc3_request, SignedHeaders=content-type;host, Signature=41df5c6fff0e3cff3f79b50f4507dbfd223b39090263603a656905e2249fe625"

describe("TC3", () => {
  it("rebuilds the canonical request the contract shows", () => {
    const auth = Tc3.parseAuthorization(authorization)!
    expect(Tc3.canonicalRequest(captured, auth.signedHeaders)).toBe(
      "POST\n/\n\ncontent-type:application/json\nhost:127.0.0.1\n\ncontent-type;host\n" +
        createHash("sha256").update(body).digest("hex")
    )
  })

  it("verifies the captured signature, with the service taken from the credential scope", () => {
    const auth = Tc3.parseAuthorization(authorization)!
    expect(auth).toMatchObject({ secretId: "AKIDEXAMPLE", date: "2026-11-22", service: "127" })
    expect(Tc3.dateOf(1795355856)).toBe("2026-11-22")
    expect(Tc3.verify("secret", auth, captured)).toBe(true)
  })

  it("refuses a wrong secret, a changed body, another host", () => {
    const auth = Tc3.parseAuthorization(authorization)!
    expect(Tc3.verify("wrong", auth, captured)).toBe(false)
    expect(
      Tc3.verify("secret", auth, { ...captured, body: new TextEncoder().encode(body.replace("false", "true")) })
    ).toBe(false)
    expect(Tc3.verify("secret", auth, { ...captured, hostname: "127.0.0.2" })).toBe(false)
  })

  it("rejects malformed headers", () => {
    expect(Tc3.parseAuthorization("TC3-HMAC-SHA256 Credential=x")).toBeUndefined()
    expect(Tc3.parseAuthorization(authorization.replace(", ", ","))).toBeUndefined()
  })
})
