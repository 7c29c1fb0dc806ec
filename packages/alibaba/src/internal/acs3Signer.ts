/**
 * ACS3-HMAC-SHA256, the V3 request signature of Alibaba Cloud OpenAPI (docs/contracts/ack.md "Signing"), byte for byte what
 * `@alicloud/openapi-core` 1.0.8 produces:
 *
 *   CanonicalRequest = METHOD \n CanonicalURI \n CanonicalQuery \n CanonicalHeaders \n SignedHeaders \n PayloadHash
 *   StringToSign     = "ACS3-HMAC-SHA256" \n hex(sha256(CanonicalRequest))
 *   Signature        = hex(hmac_sha256(AccessKeySecret, StringToSign))
 *
 * Pure functions only: the caller supplies the date and the nonce, so tests can pin them.
 */
import { createHash, createHmac, randomBytes } from "node:crypto"

export const ALGORITHM = "ACS3-HMAC-SHA256"
export const API_VERSION = "2015-12-15"
/** hex(sha256("")): the payload hash of every GET this client sends. */
export const EMPTY_PAYLOAD_HASH = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

export type QueryPairs = ReadonlyArray<readonly [string, string]>

/** RFC 3986 percent-encoding: encodeURIComponent plus ! ' ( ) *. */
export const percentEncode = (value: string): string =>
  encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)

const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

/** Keys sorted, `key=value` with both RFC 3986 encoded, joined by `&`. Also what we put on the wire. */
export const canonicalQuery = (query: QueryPairs): string =>
  [...query]
    .sort(([a], [b]) => byCodeUnit(a, b))
    .map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`)
    .join("&")

/** Encodes one path segment the way the SDK does for `{ClusterId}`. */
export const encodePathSegment = (segment: string): string => percentEncode(segment).replace(/%7E/g, "~")

/** The SDK's adjustment of the pathname as sent: `+` → %20, `*` → %2A, %7E → `~`. */
export const canonicalUri = (pathname: string): string =>
  (pathname === "" ? "/" : pathname).replace(/\+/g, "%20").replace(/\*/g, "%2A").replace(/%7E/g, "~")

const isSigned = (name: string) => name === "host" || name === "content-type" || name.startsWith("x-acs-")

/** Canonical headers (each `name:value\n`) and the signed header list, from every header that is signed. */
export const canonicalHeaders = (
  headers: Readonly<Record<string, string>>
): { readonly canonical: string; readonly signedHeaders: string } => {
  const grouped = new Map<string, Array<string>>()
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase()
    if (!isSigned(lower)) continue
    const list = grouped.get(lower) ?? []
    list.push(value.trim())
    grouped.set(lower, list)
  }
  const names = [...grouped.keys()].sort(byCodeUnit)
  return {
    canonical: names.map((n) => `${n}:${grouped.get(n)!.sort().join(",")}\n`).join(""),
    signedHeaders: names.join(";")
  }
}

export interface CanonicalInput {
  readonly method: string
  /** The pathname exactly as sent (already percent-encoded). */
  readonly pathname: string
  readonly query: QueryPairs
  /** Every header that will be sent (any case); only host, content-type and x-acs-* are signed. */
  readonly headers: Readonly<Record<string, string>>
  readonly payloadHash: string
}

export const canonicalRequest = (
  input: CanonicalInput
): { readonly canonical: string; readonly signedHeaders: string } => {
  const headers = canonicalHeaders(input.headers)
  return {
    canonical: [
      input.method.toUpperCase(),
      canonicalUri(input.pathname),
      canonicalQuery(input.query),
      headers.canonical,
      headers.signedHeaders,
      input.payloadHash
    ].join("\n"),
    signedHeaders: headers.signedHeaders
  }
}

export const sha256Hex = (data: string | Uint8Array): string => createHash("sha256").update(data).digest("hex")

export const stringToSign = (canonical: string): string => `${ALGORITHM}\n${sha256Hex(canonical)}`

export const signature = (accessKeySecret: string, toSign: string): string =>
  createHmac("sha256", accessKeySecret).update(toSign).digest("hex")

/** `YYYY-MM-DDTHH:mm:ssZ`, UTC, second precision. */
export const formatDate = (epochMillis: number): string => `${new Date(epochMillis).toISOString().slice(0, 19)}Z`

/** 64 lowercase hex characters, fresh for every attempt. */
export const makeNonce = (): string => randomBytes(32).toString("hex")

export interface SigningCredentials {
  readonly accessKeyId: string
  /** Revealed only inside the signer. */
  readonly accessKeySecret: string
  readonly securityToken?: string | undefined
}

export interface SignParams {
  readonly method: string
  /** host[:port] exactly as the Host header will carry it. */
  readonly host: string
  readonly pathname: string
  readonly query: QueryPairs
  readonly action: string
  readonly credentials: SigningCredentials
  readonly epochMillis: number
  readonly nonce: string
  readonly body?: Uint8Array | undefined
  readonly contentType?: string | undefined
}

/**
 * The headers to send (lowercase names), `authorization` included. `host` is part of the result: HTTP clients
 * derive the Host header from the URL, which must then carry the same host[:port].
 */
export const sign = (params: SignParams): Record<string, string> => {
  const headers: Record<string, string> = {
    host: params.host,
    "x-acs-version": API_VERSION,
    "x-acs-action": params.action,
    "x-acs-date": formatDate(params.epochMillis),
    "x-acs-signature-nonce": params.nonce,
    "x-acs-content-sha256": params.body === undefined ? EMPTY_PAYLOAD_HASH : sha256Hex(params.body),
    accept: "application/json"
  }
  if (params.contentType !== undefined) headers["content-type"] = params.contentType
  const token = params.credentials.securityToken
  if (token !== undefined && token !== "") {
    headers["x-acs-accesskey-id"] = params.credentials.accessKeyId
    headers["x-acs-security-token"] = token
  }
  const { canonical, signedHeaders } = canonicalRequest({
    method: params.method,
    pathname: params.pathname,
    query: params.query,
    headers,
    payloadHash: headers["x-acs-content-sha256"]!
  })
  const sig = signature(params.credentials.accessKeySecret, stringToSign(canonical))
  headers.authorization = `${ALGORITHM} Credential=${params.credentials.accessKeyId},SignedHeaders=${signedHeaders},Signature=${sig}`
  return headers
}
