/**
 * A request that got no complete answer, decided once for every transport of every provider: the errno (or
 * the library's own words) found anywhere on the cause chain, folded into Transport's reason. Patterns are
 * tried in one order: timeout, refused, dns, reset. The detail is the system error only (never a header or
 * a body). The cause kept for `--verbose` is a copy holding only the name, errno code and message: an
 * HttpClientError holds the request, whose headers carry the signature and the STS token.
 */

export type Reason = "timeout" | "reset" | "refused" | "dns" | "other"

export interface Classified {
  readonly reason: Reason
  readonly detail: string
  readonly cause: unknown
}

/** The first string `code` on the cause chain (an HttpClientError wraps the socket error). */
const codeOf = (cause: unknown): string | undefined => {
  let current: unknown = cause
  for (let depth = 0; depth < 4 && typeof current === "object" && current !== null; depth++) {
    const code = (current as { code?: unknown }).code
    if (typeof code === "string") return code
    current = (current as { cause?: unknown }).cause
  }
  return undefined
}

const textOf = (cause: unknown): { readonly name: string; readonly message: string } => {
  if (typeof cause === "object" && cause !== null) {
    const e = cause as { name?: unknown; message?: unknown }
    return {
      name: typeof e.name === "string" ? e.name : "Error",
      message: typeof e.message === "string" ? e.message : String(cause)
    }
  }
  return { name: "Error", message: String(cause) }
}

/** The reason an errno code or a library's words (`ECONNRESET`, `socket hang up`) stand for. */
export const reasonOf = (text: string): Reason =>
  /ETIMEDOUT|ESOCKETTIMEDOUT|timeout/i.test(text)
    ? "timeout"
    : /ECONNREFUSED/.test(text)
      ? "refused"
      : /ENOTFOUND|EAI_AGAIN/.test(text)
        ? "dns"
        : /ECONNRESET|EPIPE|socket hang up|ECONNABORTED|aborted|Premature close|other side closed/i.test(text)
          ? "reset"
          : "other"

/** Whether a failure looks like the network's (an errno, a timeout, a closed socket) rather than a bug. */
export const isSystemError = (cause: unknown): boolean => {
  const { name, message } = textOf(cause)
  return codeOf(cause) !== undefined || reasonOf(`${name} ${message}`) !== "other"
}

export const classifySystemError = (cause: unknown): Classified => {
  const code = codeOf(cause)
  const { name, message } = textOf(cause)
  const said = message.length > 200 ? `${message.slice(0, 200)}...` : message
  return {
    reason: reasonOf(`${code ?? ""} ${name} ${message}`),
    detail: code && !said.includes(code) ? `${code}: ${said}` : said || (code ?? name),
    cause: Object.assign(new Error(said), { name, ...(code === undefined ? {} : { code }) })
  }
}
