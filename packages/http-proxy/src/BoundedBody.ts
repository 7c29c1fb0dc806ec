/**
 * A response body read up to a byte limit, for both providers' http transports: a `content-length` above the
 * limit is refused before reading, and a streamed body is cut off (the connection dropped) once it passes the
 * limit, so a hostile or broken endpoint cannot make kubecred buffer hundreds of megabytes.
 */
import type * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"

export class TooLarge {
  readonly _tag = "TooLarge"
  constructor(
    readonly limit: number,
    /** What `content-length` announced, when it did. */
    readonly announced: number | undefined
  ) {}
  get detail(): string {
    return this.announced === undefined
      ? `the response body is larger than ${this.limit} bytes; it was cut off`
      : `the response announces ${this.announced} bytes, more than the ${this.limit} allowed; it was not read`
  }
}

const decoder = new TextDecoder()

/** The body as text, at most `limit` bytes. */
export const text = (
  response: HttpClientResponse.HttpClientResponse,
  limit: number
): Effect.Effect<string, TooLarge | HttpClientError.ResponseError> =>
  Effect.suspend(() => {
    const announced = Number(response.headers["content-length"])
    if (Number.isFinite(announced) && announced > limit) return Effect.fail(new TooLarge(limit, announced))
    // node's HTTP parser delivers exactly `content-length` bytes, no more: such a body is read whole, without
    // the Stream (a few hundred Effect operations per answer); only a body without one is counted as it comes
    if (response.headers["content-length"] !== undefined && Number.isFinite(announced)) return response.text
    const chunks: Array<Uint8Array> = []
    let size = 0
    // stops pulling (and so drops the connection) at the first chunk past the limit
    return response.stream.pipe(
      Stream.runForEachWhile((chunk) =>
        Effect.sync(() => {
          size += chunk.length
          if (size > limit) return false
          chunks.push(chunk)
          return true
        })
      ),
      Effect.flatMap(() => {
        if (size > limit) return Effect.fail(new TooLarge(limit, undefined))
        const all = new Uint8Array(size)
        let offset = 0
        for (const chunk of chunks) {
          all.set(chunk, offset)
          offset += chunk.length
        }
        return Effect.succeed(decoder.decode(all))
      })
    )
  })
