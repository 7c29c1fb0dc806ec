import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { endpointFor, resolveEndpoint } from "../../src/internal/transport.js"

describe("endpoints", () => {
  it("defaults to the global endpoint; fills a {region} template; accepts bare hosts", () => {
    expect(endpointFor(undefined, "ap-guangzhou").href).toBe("https://tke.tencentcloudapi.com/")
    expect(endpointFor("https://tke.{region}.tencentcloudapi.com", "ap-shanghai").href).toBe(
      "https://tke.ap-shanghai.tencentcloudapi.com/"
    )
    expect(endpointFor("tke.intl.tencentcloudapi.com", "ap-singapore").href).toBe(
      "https://tke.intl.tencentcloudapi.com/"
    )
    expect(endpointFor("http://127.0.0.1:8080", "ap-guangzhou").host).toBe("127.0.0.1:8080")
  })

  it.effect("an endpoint that is not an http(s) URL is InvalidInput", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(resolveEndpoint("ftp://x", "ap-guangzhou"))
      expect(error).toMatchObject({ _tag: "InvalidInput", field: "endpoint" })
      expect((yield* Effect.flip(resolveEndpoint("http://[::1", "ap-guangzhou")))._tag).toBe("InvalidInput")
    })
  )
})
