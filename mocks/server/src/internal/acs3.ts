/** ACS3-HMAC-SHA256 (V3) and legacy ROA HMAC-SHA1 (V2) verification (docs/contracts/ack.md "Signing"), server side. */
import { createHash, createHmac, timingSafeEqual } from "node:crypto"

export interface Acs3Authorization {
  readonly accessKeyId: string
  readonly signedHeaders: ReadonlyArray<string>
  readonly signature: string
}

const V3 = /^ACS3-HMAC-SHA256 Credential=([^,]+),SignedHeaders=([a-z0-9;-]+),Signature=([0-9a-f]{64})$/
const V2 = /^acs ([^:]+):([A-Za-z0-9+/=]+)$/

export const parseV3 = (value: string): Acs3Authorization | undefined => {
  const match = V3.exec(value)
  return match ? { accessKeyId: match[1]!, signedHeaders: match[2]!.split(";"), signature: match[3]! } : undefined
}

export const parseV2 = (value: string): { accessKeyId: string; signature: string } | undefined => {
  const match = V2.exec(value)
  return match ? { accessKeyId: match[1]!, signature: match[2]! } : undefined
}

/** Decodes a raw query string into ordered pairs (no '+'-as-space: the SDK encodes spaces as %20). */
export const parseQuery = (rawQuery: string): Array<[string, string]> => {
  if (rawQuery === "") return []
  return rawQuery.split("&").map((part) => {
    const eq = part.indexOf("=")
    const key = eq < 0 ? part : part.slice(0, eq)
    const value = eq < 0 ? "" : part.slice(eq + 1)
    return [safeDecode(key), safeDecode(value)]
  })
}

const safeDecode = (value: string): string => {
  try {
    return decodeURIComponent(value)
  } catch {
    return value
  }
}

export const rfc3986 = (value: string): string =>
  encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)

const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

export interface AcsRequest {
  readonly method: string
  /** The path exactly as sent. */
  readonly rawPath: string
  readonly query: ReadonlyArray<[string, string]>
  /** Lower-case header names. */
  readonly headers: Readonly<Record<string, string | undefined>>
  /** The Host value the client signed. */
  readonly host: string
}

const headerValue = (request: AcsRequest, name: string): string =>
  (name === "host" ? request.host : (request.headers[name] ?? "")).trim()

export const canonicalRequestV3 = (request: AcsRequest, signedHeaders: ReadonlyArray<string>): string => {
  const uri = request.rawPath.replace(/\+/g, "%20").replace(/\*/g, "%2A").replace(/%7E/g, "~")
  const query = [...request.query]
    .sort(([a], [b]) => byCodePoint(a, b))
    .map(([key, value]) => `${rfc3986(key)}=${rfc3986(value)}`)
    .join("&")
  const headers = signedHeaders.map((name) => `${name}:${headerValue(request, name)}\n`).join("")
  return [
    request.method,
    uri,
    query,
    headers,
    signedHeaders.join(";"),
    request.headers["x-acs-content-sha256"] ?? createHash("sha256").update("").digest("hex")
  ].join("\n")
}

export const signV3 = (secret: string, request: AcsRequest, signedHeaders: ReadonlyArray<string>): string => {
  const hashed = createHash("sha256").update(canonicalRequestV3(request, signedHeaders)).digest("hex")
  return createHmac("sha256", secret).update(`ACS3-HMAC-SHA256\n${hashed}`).digest("hex")
}

const equal = (a: Buffer, b: Buffer) => a.length === b.length && timingSafeEqual(a, b)

export const verifyV3 = (secret: string, auth: Acs3Authorization, request: AcsRequest): boolean =>
  equal(Buffer.from(signV3(secret, request, auth.signedHeaders), "hex"), Buffer.from(auth.signature, "hex"))

export const stringToSignV2 = (request: AcsRequest): string => {
  const h = (name: string) => request.headers[name] ?? ""
  const acsHeaders = Object.keys(request.headers)
    .filter((name) => name.startsWith("x-acs-"))
    .sort(byCodePoint)
    .map((name) => `${name}:${(request.headers[name] ?? "").replace(/[\t\n\r\f]/g, " ").trim()}\n`)
    .join("")
  const query = [...request.query].sort(([a], [b]) => byCodePoint(a, b))
  const resource =
    query.length === 0 ? request.rawPath : `${request.rawPath}?${query.map(([k, v]) => `${k}=${v}`).join("&")}`
  return `${request.method}\n${h("accept")}\n${h("content-md5")}\n${h("content-type")}\n${h("date")}\n${acsHeaders}${resource}`
}

export const verifyV2 = (secret: string, signature: string, request: AcsRequest): boolean =>
  equal(
    Buffer.from(createHmac("sha1", secret).update(stringToSignV2(request), "utf8").digest("base64")),
    Buffer.from(signature)
  )
