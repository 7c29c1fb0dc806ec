import { HttpServerResponse } from "@effect/platform"

/** A response as the mock composes it, before faults may bend it and before it is rendered. */
export interface Reply {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
}

/** What the cloud handlers read from a request. */
export interface RequestFacts {
  readonly method: string
  readonly path: string
  /** Query string exactly as sent, without "?". */
  readonly rawQuery: string
  /** Lower-case names; repeated headers joined as node joins them. */
  readonly headers: Readonly<Record<string, string | undefined>>
  readonly body: Uint8Array
}

export const json = (status: number, body: unknown, headers: Record<string, string> = {}): Reply => ({
  status,
  headers: { "content-type": "application/json", ...headers },
  body: JSON.stringify(body)
})

export const render = (reply: Reply): HttpServerResponse.HttpServerResponse => {
  const { "content-type": contentType, ...headers } = reply.headers
  return HttpServerResponse.text(reply.body, {
    status: reply.status,
    headers,
    contentType: contentType ?? "text/plain"
  })
}

const reasons: Record<number, string> = {
  400: "Bad Request",
  403: "Forbidden",
  404: "Not Found",
  429: "Too Many Requests",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout"
}

/** What a load balancer in front of a cloud API says when it fails: a status and an HTML page. */
export const htmlStatus = (status: number): Reply => {
  if (status === 204 || status === 304) return { status, headers: {}, body: "" }
  const reason = reasons[status] ?? "Error"
  return {
    status,
    headers: { "content-type": "text/html" },
    body: `<html>\r\n<head><title>${status} ${reason}</title></head>\r\n<body>\r\n<center><h1>${status} ${reason}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`
  }
}
