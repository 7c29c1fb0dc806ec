import { describe, expect, it } from "@effect/vitest"
import * as E from "../src/KubecredError.js"

describe("KubecredError", () => {
  it("has readable one-line messages and retryability", () => {
    const errors = [
      new E.InvalidInput({ field: "cluster-id", detail: "bad" }),
      new E.CredentialsMissing({
        provider: "tencent",
        searched: ["env TENCENTCLOUD_SECRET_ID", "~/.tencentcloud/credentials"]
      }),
      new E.AuthenticationFailed({
        provider: "tencent",
        action: "DescribeClusterKubeconfig",
        code: "AuthFailure.SignatureFailure",
        detail: "bad sig",
        requestId: "r1"
      }),
      new E.AccessDenied({ provider: "alibaba", action: "DescribeClusterUserKubeconfig", detail: "no" }),
      new E.ClusterNotFound({ provider: "alibaba", action: "x", detail: "gone" }),
      new E.ClusterUnavailable({ provider: "tencent", action: "x", detail: "abnormal" }),
      new E.Throttled({ provider: "tencent", action: "x", detail: "slow down", retryAfterMillis: 300 }),
      new E.ProviderInternal({ provider: "tencent", action: "x", detail: "boom", status: 503 }),
      new E.Transport({ provider: "alibaba", action: "x", reason: "reset", detail: "socket hang up" }),
      new E.MalformedResponse({ provider: "alibaba", action: "x", detail: "not JSON" }),
      new E.KubeconfigUnreadable({ path: "/k", detail: "bad YAML", line: 3, column: 4 }),
      new E.KubeconfigLocked({ path: "/k", detail: "held by pid 1" }),
      new E.KubeconfigWriteFailed({ path: "/k", detail: "EACCES" })
    ]
    for (const error of errors) {
      expect(error.message.length).toBeGreaterThan(0)
      expect(error.message).not.toContain("\n")
      expect(E.isKubecredError(error)).toBe(true)
    }
    expect(errors.filter(E.isRetryable).map((e) => e._tag)).toEqual([
      "ClusterUnavailable",
      "Throttled",
      "ProviderInternal",
      "Transport"
    ])
    expect(errors[2]!.message).toBe(
      "tencent DescribeClusterKubeconfig: AuthFailure.SignatureFailure: bad sig (request id r1)"
    )
    expect(errors[10]!.message).toBe("cannot read kubeconfig /k:3:4: bad YAML")
  })
})
