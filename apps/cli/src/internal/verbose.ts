/**
 * What --verbose adds under the one error line: the error's fields people ask about (provider, action,
 * code, request id, attempts, path), then its chain of causes, one `caused by:` line each with the errno or
 * code it carries. No stack frames (the bundle's are minified and say nothing), never a secret.
 */
import { scrub } from "./errors.js"

const fields = ["provider", "action", "code", "requestId", "attempts", "path", "reason", "status", "errno", "syscall"]

const describe = (value: unknown): string => {
  if (value instanceof Error || (typeof value === "object" && value !== null && "message" in value)) {
    const record = value as { name?: unknown; _tag?: unknown; message?: unknown }
    const name = typeof record._tag === "string" ? record._tag : typeof record.name === "string" ? record.name : "Error"
    return `${name}: ${String(record.message)}`
  }
  return String(value)
}

const details = (value: unknown): Array<string> => {
  if (typeof value !== "object" || value === null) return []
  const record = value as Record<string, unknown>
  return fields
    .filter((key) => record[key] !== undefined && record[key] !== null && typeof record[key] !== "object")
    .map((key) => `${key === "requestId" ? "request id" : key}: ${String(record[key])}`)
}

/** The lines --verbose prints for a failure or a defect. */
export const explain = (error: unknown): ReadonlyArray<string> => {
  const lines = details(error).map((d) => `  ${d}`)
  const seen = new Set<unknown>([error])
  let cause = typeof error === "object" && error !== null ? (error as { cause?: unknown }).cause : undefined
  while (cause !== undefined && cause !== null && !seen.has(cause) && seen.size < 10) {
    seen.add(cause)
    const extra = details(cause)
    lines.push(`  caused by: ${describe(cause)}${extra.length > 0 ? ` (${extra.join(", ")})` : ""}`)
    cause = typeof cause === "object" ? (cause as { cause?: unknown }).cause : undefined
  }
  return lines.map((line) => scrub(line.replace(/\s+/g, " ").replace(/^ /, "  ")))
}
