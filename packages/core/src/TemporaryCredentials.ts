/**
 * Temporary credentials (an instance role's STS keys) and when to fetch them again: both providers' chains
 * keep them until five minutes before they expire, so no call is signed with keys about to stop working.
 */

/** How long before expiry temporary credentials are fetched again. */
export const REFRESH_BEFORE_EXPIRY_MILLIS = 5 * 60_000

/** Whether credentials expiring at `expiresAt` (never, when undefined) can still be used at `nowMillis`. */
export const stillFresh = (expiresAt: Date | undefined, nowMillis: number): boolean =>
  expiresAt === undefined || expiresAt.getTime() - nowMillis > REFRESH_BEFORE_EXPIRY_MILLIS
