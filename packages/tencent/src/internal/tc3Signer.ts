/**
 * TC3-HMAC-SHA256, byte-exact with tencentcloud-sdk-nodejs-common 4.1.220 `sign.js` (docs/contracts/tke.md "Signing"):
 * signs `content-type;host`, host without port, POST payload hashed as sent, GET query as sent (not re-sorted).
 */
import { createHash, createHmac } from "node:crypto"

export const ALGORITHM = "TC3-HMAC-SHA256"
export const SIGNED_HEADERS = "content-type;host"

export interface Tc3Input {
  readonly method: "POST" | "GET"
  /** The URL hostname, never the port. */
  readonly host: string
  /** The URL pathname, `/` for TKE. */
  readonly path: string
  /** GET: the query exactly as sent, without `?`. POST: empty. */
  readonly query: string
  readonly contentType: string
  /** POST: the exact body bytes. GET: empty. */
  readonly payload: Uint8Array | string
  /** Unix seconds, the value of X-TC-Timestamp. */
  readonly timestamp: number
  /** First label of the API host (`tke`). */
  readonly service: string
  readonly secretId: string
  readonly secretKey: string
}

export interface Tc3Signature {
  readonly canonicalRequest: string
  readonly credentialScope: string
  readonly stringToSign: string
  readonly signature: string
  readonly authorization: string
}

const sha256Hex = (data: Uint8Array | string): string => createHash("sha256").update(data).digest("hex")
const hmac = (key: Uint8Array | string, data: string): Buffer => createHmac("sha256", key).update(data, "utf8").digest()

/** UTC date of a Unix-seconds timestamp, `YYYY-MM-DD`. */
export const scopeDate = (timestamp: number): string => new Date(timestamp * 1000).toISOString().slice(0, 10)

export const canonicalRequest = (input: Tc3Input): string =>
  [
    input.method,
    input.path,
    input.query,
    `content-type:${input.contentType}`,
    `host:${input.host}`,
    "",
    SIGNED_HEADERS,
    sha256Hex(input.payload)
  ].join("\n")

export const sign = (input: Tc3Input): Tc3Signature => {
  const canonical = canonicalRequest(input)
  const date = scopeDate(input.timestamp)
  const credentialScope = `${date}/${input.service}/tc3_request`
  const stringToSign = `${ALGORITHM}\n${input.timestamp}\n${credentialScope}\n${sha256Hex(canonical)}`
  const kDate = hmac(`TC3${input.secretKey}`, date)
  const kService = hmac(kDate, input.service)
  const kSigning = hmac(kService, "tc3_request")
  const signature = createHmac("sha256", kSigning).update(stringToSign, "utf8").digest("hex")
  return {
    canonicalRequest: canonical,
    credentialScope,
    stringToSign,
    signature,
    authorization: `${ALGORITHM} Credential=${input.secretId}/${credentialScope}, SignedHeaders=${SIGNED_HEADERS}, Signature=${signature}`
  }
}

/** kubecred always signs for `tke`, whatever host an override points at (the SDK would take the host's first label). */
export const SERVICE = "tke"
