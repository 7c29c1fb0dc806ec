/**
 * The sync/refresh planning (internal/plan), the region-skip rule (internal/listing) and the width fitter, as
 * pure functions over statuses and listings.
 */
import { describe, expect, it } from "@effect/vitest"
import type { ClusterSummary } from "@kubecred/core/ClusterSummary"
import { ClusterNotFound, InvalidInput } from "@kubecred/core/KubecredError"
import type { Provenance } from "@kubecred/core/Provenance"
import type { ContextStatus } from "@kubecred/kubeconfig/KubeconfigStore"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import { fitTable } from "../src/internal/fitTable.js"
import { isUnusableRegion } from "../src/internal/listing.js"
import { dueForRefresh, type Managed, planSync, prunable } from "../src/internal/plan.js"

const cluster = (clusterId: string, region: string, name: string): ClusterSummary => ({
  provider: "tencent",
  region,
  clusterId,
  name,
  status: "Running",
  phase: "running",
  endpoints: {}
})

const managed = (
  name: string,
  provenance: Partial<Provenance>,
  extra: Partial<Managed> & { credential?: ContextStatus["credential"]; notAfter?: number; current?: boolean } = {}
): Managed => {
  const full: Provenance = {
    provider: "tencent",
    region: "ap-guangzhou",
    clusterId: "cls-aaaaaaaa",
    endpoint: "public",
    fetchedAt: DateTime.unsafeMake(0),
    credential: "embedded",
    ...provenance
  }
  return {
    status: {
      name,
      file: "/tmp/config",
      cluster: name,
      user: name,
      server: undefined,
      current: extra.current ?? false,
      managed: true,
      provenance: full,
      certificateNotAfter: extra.notAfter === undefined ? undefined : new Date(extra.notAfter),
      expiresAt: undefined,
      credential: extra.credential ?? "certificate",
      namespace: extra.namespace,
      exec: extra.exec
    },
    provenance: full,
    exec: extra.exec,
    namespace: extra.namespace
  }
}

const exec = { command: "/usr/bin/kubecred", args: ["credential", "tencent", "cls-aaaaaaaa"], apiVersion: "v1" }

describe("planSync", () => {
  it.effect("an existing context keeps its name, namespace and exec user; a new one gets the template's name", () =>
    Effect.gen(function* () {
      const plan = yield* planSync(
        "tencent",
        [cluster("cls-aaaaaaaa", "ap-guangzhou", "web"), cluster("cls-bbbbbbbb", "ap-guangzhou", "api")],
        "public",
        [managed("shop", {}, { exec, namespace: "web" })],
        undefined
      )
      expect(plan.fetches[0]!.targets).toEqual([
        { name: "shop", renamedFrom: undefined, existing: true, current: false, exec, namespace: "web" }
      ])
      expect(plan.fetches[1]!.targets).toEqual([
        {
          name: "tencent-ap-guangzhou-cls-bbbbbbbb",
          renamedFrom: undefined,
          existing: false,
          current: false,
          exec: undefined,
          namespace: undefined
        }
      ])
    })
  )

  it.effect("a private context is another context; an explicit template renames; clashing names are refused", () =>
    Effect.gen(function* () {
      const contexts = [managed("shop", {}, { current: true }), managed("inner", { endpoint: "private" })]
      const plan = yield* planSync(
        "tencent",
        [cluster("cls-aaaaaaaa", "ap-guangzhou", "web")],
        "public",
        contexts,
        "tke-{name}"
      )
      expect(plan.fetches[0]!.targets).toMatchObject([{ name: "tke-web", renamedFrom: "shop", current: true }])
      const clash = yield* Effect.flip(
        planSync(
          "tencent",
          [cluster("cls-aaaaaaaa", "ap-guangzhou", "web"), cluster("cls-bbbbbbbb", "ap-beijing", "web")],
          "public",
          [],
          "{name}"
        )
      )
      expect(clash).toBeInstanceOf(InvalidInput)
      expect(clash.message).toContain("cls-bbbbbbbb")
      // the cloud's name is made safe for an entry name
      const odd = yield* planSync("tencent", [cluster("cls-cccccccc", "ap-guangzhou", "a b/c")], "public", [], "{name}")
      expect(odd.fetches[0]!.targets[0]!.name).toBe("a-b-c")
    })
  )
})

describe("prunable and dueForRefresh", () => {
  it("prunes only this provider's contexts, in answered regions, for clusters the listing lacks", () => {
    const contexts = [
      managed("kept", { clusterId: "cls-aaaaaaaa" }),
      managed("gone", { clusterId: "cls-zzzzzzzz" }),
      managed("unanswered", { clusterId: "cls-yyyyyyyy", region: "ap-shanghai-fsi" }),
      managed("other", { provider: "alibaba", clusterId: "c0" })
    ]
    const listed = [cluster("cls-aaaaaaaa", "ap-guangzhou", "web")]
    expect(prunable("tencent", contexts, listed, (region) => region === "ap-guangzhou")).toEqual(["gone"])
  })

  it("refreshes embedded credentials expiring within the window, never exec users", () => {
    const now = 1_000_000_000_000
    const contexts = [
      managed("soon", {}, { notAfter: now + 30 * 60_000 }),
      managed("later", {}, { notAfter: now + 3 * 86_400_000 }),
      managed("plugin", {}, { credential: "exec", notAfter: now + 60_000 })
    ]
    expect(dueForRefresh(contexts, 60, now).map((m) => m.status.name)).toEqual(["soon"])
  })
})

describe("isUnusableRegion", () => {
  it("TKE's UnsupportedRegion is a region to skip; a missing cluster is not", () => {
    expect(
      isUnusableRegion(
        new InvalidInput({
          field: "region",
          detail: "tencent DescribeClusters rejected the request: UnsupportedRegion: x"
        })
      )
    ).toBe(true)
    expect(isUnusableRegion(new InvalidInput({ field: "region", detail: "invalid region" }))).toBe(false)
    expect(isUnusableRegion(new ClusterNotFound({ provider: "tencent", action: "x", detail: "y" }))).toBe(false)
  })
})

describe("fitTable", () => {
  const rows = [["*", "a".repeat(60), "prod-web-1-with-a-long-name", "ap-guangzhou", "cert", "20y4d"]]
  const columns = [
    { header: "CURRENT" },
    { header: "NAME" },
    { header: "CLUSTER", shrinkTo: 8 },
    { header: "REGION", dropOrder: 1 },
    { header: "CREDENTIAL", dropOrder: 2 },
    { header: "EXPIRES IN" }
  ]
  it("drops optional columns in order, then shortens the shrinkable one, never the name", () => {
    const wide = fitTable(columns, rows, 200)
    expect(wide.split("\n")[0]).toContain("REGION")
    const fitted = fitTable(columns, rows, 100)
    for (const line of fitted.split("\n")) expect(line.length).toBeLessThanOrEqual(100)
    expect(fitted).not.toContain("REGION")
    expect(fitted).toContain("a".repeat(60))
    const narrow = fitTable(columns, rows, 96)
    for (const line of narrow.split("\n")) expect(line.length).toBeLessThanOrEqual(96)
    expect(narrow).toContain("…")
    // as narrow as it gets: the name and the shortest cluster cell stay
    expect(fitTable(columns, rows, 40).split("\n")[1]).toContain("a".repeat(60))
  })
})
