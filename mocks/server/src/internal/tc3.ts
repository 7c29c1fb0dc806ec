/** TC3-HMAC-SHA256 verification (docs/contracts/tke.md "Signing"), server side. */
import { createHash, createHmac, timingSafeEqual } from "node:crypto"

export interface Tc3Authorization {
  readonly secretId: string
  readonly date: string
  readonly service: string
  readonly signedHeaders: ReadonlyArray<string>
  readonly signature: string
}

const AUTH =
  /^TC3-HMAC-SHA256 Credential=([^/]+)\/(\d{4}-\d{2}-\d{2})\/([^/]+)\/tc3_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$/

export const parseAuthorization = (value: string): Tc3Authorization | undefined => {
  const match = AUTH.exec(value)
  if (!match) return undefined
  return {
    secretId: match[1]!,
    date: match[2]!,
    service: match[3]!,
    signedHeaders: match[4]!.split(";"),
    signature: match[5]!
  }
}

const sha256 = (data: string | Uint8Array): string => createHash("sha256").update(data).digest("hex")
const hmac = (key: string | Buffer, data: string): Buffer => createHmac("sha256", key).update(data).digest()

export const dateOf = (timestampSeconds: number): string => new Date(timestampSeconds * 1000).toISOString().slice(0, 10)

export interface Tc3Request {
  readonly method: string
  /** The query string exactly as sent, without "?" ("" for none). */
  readonly rawQuery: string
  /** Lower-case header names. */
  readonly headers: Readonly<Record<string, string | undefined>>
  readonly body: Uint8Array
  /** The host name the client signed (Host without port). */
  readonly hostname: string
  readonly timestamp: string
}

export const canonicalRequest = (request: Tc3Request, signedHeaders: ReadonlyArray<string>): string => {
  const headers = signedHeaders
    .map((name) => `${name}:${(name === "host" ? request.hostname : (request.headers[name] ?? "")).trim()}\n`)
    .join("")
  const payload = request.method === "GET" ? sha256("") : sha256(request.body)
  return [
    request.method,
    "/",
    request.method === "GET" ? request.rawQuery : "",
    headers,
    signedHeaders.join(";"),
    payload
  ].join("\n")
}

export const sign = (
  secretKey: string,
  auth: Omit<Tc3Authorization, "signature" | "secretId">,
  request: Tc3Request
) => {
  const scope = `${auth.date}/${auth.service}/tc3_request`
  const stringToSign = [
    "TC3-HMAC-SHA256",
    request.timestamp,
    scope,
    sha256(canonicalRequest(request, auth.signedHeaders))
  ].join("\n")
  const kDate = hmac(`TC3${secretKey}`, auth.date)
  const kService = hmac(kDate, auth.service)
  const kSigning = hmac(kService, "tc3_request")
  return createHmac("sha256", kSigning).update(stringToSign).digest("hex")
}

export const verify = (secretKey: string, auth: Tc3Authorization, request: Tc3Request): boolean => {
  const expected = Buffer.from(sign(secretKey, auth, request), "hex")
  const given = Buffer.from(auth.signature, "hex")
  return expected.length === given.length && timingSafeEqual(expected, given)
}
