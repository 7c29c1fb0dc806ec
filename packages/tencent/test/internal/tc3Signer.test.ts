import { createHash, createHmac } from "node:crypto"
import { createRequire } from "node:module"
import { describe, expect, it } from "@effect/vitest"
import * as FastCheck from "effect/FastCheck"
import { canonicalRequest, sign } from "../../src/internal/tc3Signer.js"

const require = createRequire(import.meta.url)
// The official SDK's signer: an implementation we did not write.
const SdkSign = require("tencentcloud-sdk-nodejs-common/tencentcloud/common/sign.js").default as {
  sign3: (args: Record<string, unknown>) => string
}
// The SDK serialises bodies with json-bigint, which escapes U+2028/U+2029 where JSON.stringify does not:
// the bytes differ, so hand our signer the SDK's bytes (each side signs what it sends).
const sdkJson = createRequire(require.resolve("tencentcloud-sdk-nodejs-common"))("json-bigint")({
  useNativeBigInt: true
}) as { stringify: (value: unknown) => string }

describe("tc3Signer", () => {
  it("reproduces the captured request (docs/contracts/tke.md, Captured requests) byte for byte", () => {
    const body = JSON.stringify({ ClusterId: "cls-abc123", IsExtranet: false })
    const input = {
      method: "POST",
      host: "127.0.0.1",
      path: "/",
      query: "",
      contentType: "application/json",
      payload: body,
      timestamp: 1795355856,
      service: "127",
      secretId: "AKIDEXAMPLE",
      secretKey: "secret"
    } as const
    expect(canonicalRequest(input)).toBe(
      "POST\n/\n\ncontent-type:application/json\nhost:127.0.0.1\n\ncontent-type;host\n684ad5593f6d4dba7d36873946c9c2c7d53a661fbceaa1a154ac4e0bebb3b1aa"
    )
    expect(sign(input).authorization).toBe(
      "TC3-HMAC-SHA256 Credential=AKIDEXAMPLE/2026-11-22/127/tc3_request, SignedHeaders=content-type;host, Signature=41df5c6fff0e3cff3f79b50f4507dbfd223b39090263603a656905e2249fe625"
    )
  })

  it("hashes the empty payload for GET and keeps the query as sent", () => {
    const signed = sign({
      method: "GET",
      host: "tke.tencentcloudapi.com",
      path: "/",
      query: "ClusterId=cls-abc123&IsExtranet=false",
      contentType: "application/x-www-form-urlencoded",
      payload: "",
      timestamp: 1795355856,
      service: "tke",
      secretId: "AKIDEXAMPLE",
      secretKey: "secret"
    })
    expect(signed.canonicalRequest).toBe(
      "GET\n/\nClusterId=cls-abc123&IsExtranet=false\ncontent-type:application/x-www-form-urlencoded\nhost:tke.tencentcloudapi.com\n\ncontent-type;host\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    )
  })

  const arbitraryRequest = FastCheck.record({
    body: FastCheck.dictionary(
      FastCheck.string({ minLength: 1, maxLength: 12 }),
      FastCheck.oneof(FastCheck.string({ unit: "binary" }), FastCheck.integer(), FastCheck.boolean()),
      { maxKeys: 6 }
    ),
    host: FastCheck.domain(),
    port: FastCheck.option(FastCheck.integer({ min: 1, max: 65535 })),
    timestamp: FastCheck.integer({ min: 0, max: 4_102_444_800 }),
    secretId: FastCheck.stringMatching(/^AKID[A-Za-z0-9]{1,36}$/),
    secretKey: FastCheck.string({ unit: "binary", minLength: 1, maxLength: 48 })
  })

  it("agrees with the official SDK's sign3 on arbitrary requests (host with or without port)", () => {
    FastCheck.assert(
      FastCheck.property(arbitraryRequest, (r) => {
        const body = sdkJson.stringify(r.body)
        const url = `http://${r.host}${r.port === null ? "" : `:${r.port}`}/`
        const sdk = SdkSign.sign3({
          method: "POST",
          url,
          payload: r.body, // the SDK serialises the params object itself
          timestamp: r.timestamp,
          service: "tke",
          secretId: r.secretId,
          secretKey: r.secretKey,
          multipart: false,
          headers: { "Content-Type": "application/json" }
        })
        const ours = sign({
          method: "POST",
          host: new URL(url).hostname,
          path: "/",
          query: "",
          contentType: "application/json",
          payload: new TextEncoder().encode(body),
          timestamp: r.timestamp,
          service: "tke",
          secretId: r.secretId,
          secretKey: r.secretKey
        })
        expect(ours.authorization).toBe(sdk)
      }),
      { numRuns: 500 }
    )
  })

  it("agrees with an independent re-derivation from the documented recipe", () => {
    // Written from the TC3 document, not from our module: different code path (Buffer.concat, manual hex).
    const rederive = (secretKey: string, date: string, service: string, stringToSign: string) => {
      const h = (k: Buffer, d: string) => createHmac("sha256", k).update(Buffer.from(d, "utf8")).digest()
      const k = h(h(h(Buffer.from(`TC3${secretKey}`, "utf8"), date), service), "tc3_request")
      return Array.from(h(k, stringToSign), (b) => b.toString(16).padStart(2, "0")).join("")
    }
    FastCheck.assert(
      FastCheck.property(arbitraryRequest, (r) => {
        const body = JSON.stringify(r.body)
        const ours = sign({
          method: "POST",
          host: r.host,
          path: "/",
          query: "",
          contentType: "application/json",
          payload: body,
          timestamp: r.timestamp,
          service: "tke",
          secretId: r.secretId,
          secretKey: r.secretKey
        })
        const date = new Date(r.timestamp * 1000).toISOString().substring(0, 10)
        const canonical = `POST\n/\n\ncontent-type:application/json\nhost:${r.host}\n\ncontent-type;host\n${createHash("sha256").update(Buffer.from(body, "utf8")).digest("hex")}`
        const sts = `TC3-HMAC-SHA256\n${r.timestamp}\n${date}/tke/tc3_request\n${createHash("sha256").update(canonical).digest("hex")}`
        expect(ours.signature).toBe(rederive(r.secretKey, date, "tke", sts))
      }),
      { numRuns: 300 }
    )
  })
})
