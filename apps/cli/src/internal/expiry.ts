/**
 * When a context's credential stops working, and whether it is a long-lived key embedded in the file.
 */
import type { ContextStatus } from "@kubecred/kubeconfig/KubeconfigStore"

/** The certificate's notAfter, else the expiry kubecred recorded. */
export const expiryOf = (s: ContextStatus): number | undefined => (s.certificateNotAfter ?? s.expiresAt)?.getTime()

const YEAR_MS = 365 * 24 * 3600 * 1000

/**
 * A client key embedded in the file that stays valid for more than a year (TKE's 20-year certificates, ACK's
 * 3-year default): worth replacing with `--exec` or an ACK `--ttl`.
 */
export const isLongLived = (s: ContextStatus, now: number): boolean => {
  const expiresAt = expiryOf(s)
  return s.credential === "certificate" && expiresAt !== undefined && expiresAt - now > YEAR_MS
}
