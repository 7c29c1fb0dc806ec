/**
 * The legacy ROA signature (`authorization: acs AK:sig`, HMAC-SHA1), docs/contracts/ack.md "Signing", as
 * `@alicloud/openapi-core` 1.0.8 computes it with `signatureAlgorithm: "v2"`:
 *
 *   StringToSign = METHOD \n Accept \n Content-MD5 \n Content-Type \n Date \n CanonicalizedHeaders CanonicalizedResource
 *   Signature    = base64(hmac_sha1(AccessKeySecret, StringToSign))
 */
import { createHmac } from "node:crypto"
import { API_VERSION, type QueryPairs, type SigningCredentials } from "./acs3Signer.js"

const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

/** Every `x-acs-*` header, sorted, `name:value\n` with \t\n\r\f turned into spaces and the value trimmed. */
export const canonicalizedHeaders = (headers: Readonly<Record<string, string>>): string =>
  Object.keys(headers)
    .filter((k) => k.startsWith("x-acs-"))
    .sort(byCodeUnit)
    .map((k) => `${k}:${headers[k]!.replace(/[\t\n\r\f]/g, " ").trim()}\n`)
    .join("")

/** pathname, then `?` and the sorted `k=v` pairs (values NOT encoded) when there is a query. */
export const canonicalizedResource = (pathname: string, query: QueryPairs): string => {
  if (query.length === 0) return pathname
  const sorted = [...query].sort(([a], [b]) => byCodeUnit(a, b))
  return `${pathname}?${sorted.map(([k, v]) => `${k}=${v}`).join("&")}`
}

export const stringToSign = (params: {
  readonly method: string
  readonly pathname: string
  readonly query: QueryPairs
  readonly headers: Readonly<Record<string, string>>
}): string => {
  const h = params.headers
  return (
    `${params.method}\n${h.accept ?? ""}\n${h["content-md5"] ?? ""}\n${h["content-type"] ?? ""}\n${h.date ?? ""}\n` +
    canonicalizedHeaders(h) +
    canonicalizedResource(params.pathname, params.query)
  )
}

export const signature = (accessKeySecret: string, toSign: string): string =>
  createHmac("sha1", accessKeySecret).update(Buffer.from(toSign, "utf8")).digest("base64")

export interface SignParams {
  readonly method: string
  readonly host: string
  /** The pathname as sent. */
  readonly pathname: string
  readonly query: QueryPairs
  readonly action: string
  readonly credentials: SigningCredentials
  readonly epochMillis: number
  readonly nonce: string
}

/** The headers to send (lowercase names), `authorization` included. */
export const sign = (params: SignParams): Record<string, string> => {
  const headers: Record<string, string> = {
    date: new Date(params.epochMillis).toUTCString(),
    host: params.host,
    accept: "application/json",
    "x-acs-signature-nonce": params.nonce,
    "x-acs-signature-method": "HMAC-SHA1",
    "x-acs-signature-version": "1.0",
    "x-acs-version": API_VERSION,
    "x-acs-action": params.action
  }
  const token = params.credentials.securityToken
  if (token !== undefined && token !== "") {
    headers["x-acs-accesskey-id"] = params.credentials.accessKeyId
    headers["x-acs-security-token"] = token
  }
  const toSign = stringToSign({ method: params.method, pathname: params.pathname, query: params.query, headers })
  headers.authorization = `acs ${params.credentials.accessKeyId}:${signature(params.credentials.accessKeySecret, toSign)}`
  return headers
}
