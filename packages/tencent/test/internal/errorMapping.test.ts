import { describe, expect, it } from "@effect/vitest"
import * as Either from "effect/Either"
import { classify, fromCode, fromStatus, fromTransportCause, knownCodes } from "../../src/internal/errorMapping.js"
import { interpret } from "../../src/internal/httpTransport.js"
import { mapSdkError } from "../../src/internal/sdkTransport.js"
import { tkeErrorTable } from "../tkeErrorTable.js"

const ctx = { action: "DescribeClusterKubeconfig", region: "ap-guangzhou", clusterId: "cls-abc12345" }

describe("errorMapping", () => {
  it("maps every code of docs/contracts/tke.md (Error codes) to exactly the class in the table", () => {
    for (const [code, tag] of tkeErrorTable) {
      expect([code, fromCode(ctx, { code, message: "m", requestId: "r" })._tag]).toEqual([code, tag])
    }
  })

  it("the mapping names no code the table lacks", () => {
    const table = new Map(tkeErrorTable)
    for (const code of Object.keys(knownCodes)) expect(table.has(code), code).toBe(true)
  })

  it("falls back on the code family, then ProviderInternal", () => {
    expect(classify("AuthFailure.Something")).toBe("AuthenticationFailed")
    expect(classify("ResourceNotFound.NewThing")).toBe("ClusterNotFound")
    expect(classify("RequestLimitExceeded.Other")).toBe("Throttled")
    expect(classify("Entirely.New")).toBe("ProviderInternal")
  })

  it("keeps code, request id and cluster on the error", () => {
    const error = fromCode(ctx, { code: "ResourceNotFound.ClusterNotFound", message: "gone", requestId: "req-1" })
    expect(error).toMatchObject({
      _tag: "ClusterNotFound",
      provider: "tencent",
      code: "ResourceNotFound.ClusterNotFound",
      requestId: "req-1",
      clusterId: "cls-abc12345",
      region: "ap-guangzhou"
    })
    expect(error.message).toContain("req-1")
  })

  it("maps statuses", () => {
    expect(fromStatus(ctx, 500)._tag).toBe("ProviderInternal")
    expect(fromStatus(ctx, 503)._tag).toBe("ProviderInternal")
    expect(fromStatus(ctx, 429, 1500)).toMatchObject({ _tag: "Throttled", retryAfterMillis: 1500 })
    expect(fromStatus(ctx, 404)._tag).toBe("MalformedResponse")
    expect(fromStatus(ctx, 403)._tag).toBe("AccessDenied")
  })

  it("maps socket failures to Transport reasons", () => {
    const sys = (code: string) => Object.assign(new Error(`x ${code}`), { code })
    expect(fromTransportCause(ctx, sys("ECONNRESET")).reason).toBe("reset")
    expect(fromTransportCause(ctx, sys("ECONNREFUSED")).reason).toBe("refused")
    expect(fromTransportCause(ctx, sys("ENOTFOUND")).reason).toBe("dns")
    expect(fromTransportCause(ctx, new Error("socket hang up")).reason).toBe("reset")
    expect(fromTransportCause(ctx, new Error("network timeout at: http://x/")).reason).toBe("timeout")
  })
})

describe("http body interpretation", () => {
  const at = (status: number, body: string) => interpret(ctx, status, undefined, body, 0)
  it("non-JSON, empty, truncated and wrong-shaped bodies are MalformedResponse", () => {
    for (const body of [
      "<html>oops</html>",
      "",
      "   ",
      '{"Response":{"Kubeconf',
      '{"foo":1}',
      '{"Response":"x"}',
      "[]"
    ]) {
      const result = at(200, body)
      expect(Either.isLeft(result) && result.left._tag, body).toBe("MalformedResponse")
    }
  })
  it("an Error in the envelope is decided by its code", () => {
    const result = at(
      200,
      JSON.stringify({ Response: { Error: { Code: "InternalError", Message: "x" }, RequestId: "r" } })
    )
    expect(Either.isLeft(result) && result.left).toMatchObject({ _tag: "ProviderInternal", requestId: "r" })
  })
  it("success keeps the Response object", () => {
    const result = at(200, JSON.stringify({ Response: { Kubeconfig: "k", RequestId: "r" } }))
    expect(Either.getOrThrow(result)).toEqual({ response: { Kubeconfig: "k", RequestId: "r" }, requestId: "r" })
  })
  it("a 5xx HTML page is ProviderInternal", () => {
    const result = at(502, "<html>bad gateway</html>")
    expect(Either.isLeft(result) && result.left).toMatchObject({ _tag: "ProviderInternal", status: 502 })
  })
})

describe("sdk error interpretation", () => {
  it("follows docs/contracts/tke.md (SDK)", () => {
    const sdkError = (message: string, fields: Record<string, unknown>) =>
      Object.assign(new Error(message), { requestId: "", traceId: "t" }, fields)
    expect(mapSdkError(ctx, sdkError("m", { code: "AuthFailure.SignatureFailure", requestId: "r" }))).toMatchObject({
      _tag: "AuthenticationFailed",
      requestId: "r"
    })
    expect(mapSdkError(ctx, sdkError("Internal Server Error", { httpCode: 500 }))._tag).toBe("ProviderInternal")
    expect(mapSdkError(ctx, Object.assign(new Error("invalid json"), { type: "invalid-json" }))._tag).toBe(
      "MalformedResponse"
    )
    expect(mapSdkError(ctx, new TypeError("Cannot read properties of undefined (reading 'Error')"))._tag).toBe(
      "MalformedResponse"
    )
    expect(
      mapSdkError(ctx, sdkError("request to http://127.0.0.1:1/ failed, reason: socket hang up", {}))
    ).toMatchObject({ _tag: "Transport", reason: "reset" })
  })
})
