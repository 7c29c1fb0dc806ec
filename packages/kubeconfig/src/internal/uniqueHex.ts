/**
 * Unique, not secret: the suffixes of kubecred's temporary and set-aside files and its lock's token only have
 * to differ from whatever else is there (each is created exclusively, next to the process id). Math.random
 * spares a write node:crypto's first randomBytes call, which seeds OpenSSL's generator (about 0.5 ms of an
 * `add`, docs/decisions.md "Start-up").
 */
export const uniqueHex = (length: number): string => {
  let out = ""
  while (out.length < length) out += Math.random().toString(16).slice(2)
  return out.slice(0, length)
}
