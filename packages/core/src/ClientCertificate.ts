/**
 * The one certificate reader of both providers. The two facts kubecred needs from a client certificate, notAfter and the subject CN, read straight from
 * the DER (Certificate → tbsCertificate → validity, subject). node:crypto's X509Certificate does the same in
 * about a millisecond per certificate, which shows in bulk fetches; it remains the fallback for anything
 * this reader does not recognise.
 */
import { X509Certificate } from "node:crypto"

export interface CertificateFacts {
  readonly notAfter?: Date
  readonly commonName?: string
}

interface Tlv {
  readonly tag: number
  readonly start: number
  readonly end: number
}

const readTlv = (der: Uint8Array, offset: number): Tlv => {
  const tag = der[offset]!
  let length = der[offset + 1]!
  let start = offset + 2
  if (length & 0x80) {
    const bytes = length & 0x7f
    if (bytes === 0 || bytes > 4) throw new Error("unsupported length")
    length = 0
    for (let i = 0; i < bytes; i++) length = length * 256 + der[start + i]!
    start += bytes
  }
  const end = start + length
  if (end > der.length) throw new Error("truncated")
  return { tag, start, end }
}

/** The children of a constructed TLV. */
const children = (der: Uint8Array, parent: Tlv): Array<Tlv> => {
  const out: Array<Tlv> = []
  for (let offset = parent.start; offset < parent.end; ) {
    const child = readTlv(der, offset)
    out.push(child)
    offset = child.end
  }
  return out
}

const text = (der: Uint8Array, tlv: Tlv) => Buffer.from(der.subarray(tlv.start, tlv.end)).toString("latin1")

const parseTime = (der: Uint8Array, tlv: Tlv): Date => {
  const value = text(der, tlv)
  const match =
    tlv.tag === 0x17
      ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(value)
      : tlv.tag === 0x18
        ? /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(value)
        : null
  if (!match) throw new Error("unsupported time")
  const year = tlv.tag === 0x17 ? (Number(match[1]) >= 50 ? 1900 : 2000) + Number(match[1]) : Number(match[1])
  return new Date(
    Date.UTC(year, Number(match[2]) - 1, Number(match[3]), Number(match[4]), Number(match[5]), Number(match[6]))
  )
}

const CN = [0x55, 0x04, 0x03]

const commonNameOf = (der: Uint8Array, name: Tlv): string | undefined => {
  for (const rdn of children(der, name)) {
    for (const attribute of children(der, rdn)) {
      const [oid, value] = children(der, attribute)
      if (
        oid &&
        value &&
        oid.tag === 0x06 &&
        oid.end - oid.start === 3 &&
        CN.every((b, i) => der[oid.start + i] === b)
      ) {
        return Buffer.from(der.subarray(value.start, value.end)).toString("utf8")
      }
    }
  }
  return undefined
}

/** From DER bytes. Throws when the structure is not the expected X.509 shape. */
export const readDer = (der: Uint8Array): CertificateFacts => {
  const certificate = readTlv(der, 0)
  const tbs = children(der, certificate)[0]!
  const fields = children(der, tbs)
  const rest = fields[0]?.tag === 0xa0 ? fields.slice(1) : fields // [0] version
  // serialNumber, signature, issuer, validity, subject
  const validity = rest[3]
  const subject = rest[4]
  if (validity?.tag !== 0x30 || subject?.tag !== 0x30) throw new Error("unexpected layout")
  const [, notAfter] = children(der, validity)
  if (!notAfter) throw new Error("no notAfter")
  const commonName = commonNameOf(der, subject)
  return { notAfter: parseTime(der, notAfter), ...(commonName === undefined ? {} : { commonName }) }
}

const PEM = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/

/** `client-certificate-data` (base64 of a PEM, or of DER) → its facts; nothing when it is not a certificate. */
export const inspect = (base64: string): CertificateFacts => {
  try {
    const decoded = Buffer.from(base64, "base64")
    const pem = PEM.exec(decoded.toString("latin1"))
    const der = pem ? Buffer.from(pem[1]!.replace(/\s+/g, ""), "base64") : decoded
    return readDer(der)
  } catch {
    try {
      const certificate = new X509Certificate(Buffer.from(base64, "base64"))
      const notAfter = new Date(certificate.validTo)
      const commonName = certificate.subject
        .split("\n")
        .map((line) => /^CN=(.*)$/.exec(line.trim())?.[1])
        .find((value) => value !== undefined)
      return {
        ...(Number.isNaN(notAfter.getTime()) ? {} : { notAfter }),
        ...(commonName ? { commonName } : {})
      }
    } catch {
      return {}
    }
  }
}
