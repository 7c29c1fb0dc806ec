import { createHash, randomBytes, randomUUID } from "node:crypto"

const ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789"
const ALNUM_MIXED = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

const pick = (alphabet: string, length: number, bytes: Buffer = randomBytes(length)): string => {
  let out = ""
  for (let i = 0; i < length; i++) out += alphabet[bytes[i]! % alphabet.length]
  return out
}

const seeded = (seed: string, length: number): Buffer => {
  const out = Buffer.alloc(length)
  let block = createHash("sha256").update(seed).digest()
  for (let i = 0; i < length; i++) {
    if (i > 0 && i % block.length === 0) block = createHash("sha256").update(block).digest()
    out[i] = block[i % block.length]!
  }
  return out
}

/** TKE cluster id: `cls-` + 8 lowercase alphanumerics; deterministic when a seed is given. */
export const tkeClusterId = (seed?: string): string =>
  `cls-${pick(ALNUM, 8, seed === undefined ? randomBytes(8) : seeded(seed, 8))}`

/** ACK cluster id: `c` + 32 lowercase hex; deterministic when a seed is given. */
export const ackClusterId = (seed?: string): string =>
  `c${(seed === undefined ? randomBytes(16) : seeded(seed, 16)).toString("hex")}`

export const requestId = (): string => randomUUID()

/** Alibaba request ids are upper-case UUIDs. */
export const ackRequestId = (): string => randomUUID().toUpperCase()

export const alnum = (length: number): string => pick(ALNUM_MIXED, length)

export const digits = (first: string, length: number): string => first + pick("0123456789", length - first.length)

export const hex = (bytes: number): string => randomBytes(bytes).toString("hex")

export const token = (bytes: number): string => randomBytes(bytes).toString("base64url")

export const isTkeClusterId = (id: string): boolean => /^cls-[a-z0-9]{8}$/.test(id)

export const isAckClusterId = (id: string): boolean => /^c[0-9a-f]{32}$/.test(id)

/** A stable small integer derived from a string, for private addresses and such. */
export const hashByte = (value: string, index: number): number => createHash("sha256").update(value).digest()[index]!
