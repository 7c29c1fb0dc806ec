import { Context, Effect, Layer } from "effect"
import type { AlibabaClusterFixture, Fixtures, TencentClusterFixture } from "../Fixtures.js"
import { ackClusterId, tkeClusterId } from "./ids.js"

export interface TencentCluster {
  readonly clusterId: string
  readonly region: string
  readonly name: string
  readonly status: string
  readonly type: "MANAGED_CLUSTER" | "INDEPENDENT_CLUSTER"
  readonly version: string
  readonly vpcId: string
  readonly nodeCount: number
  readonly tags: Readonly<Record<string, string>>
  readonly createdTime: string
}

export interface AlibabaCluster {
  readonly clusterId: string
  readonly region: string
  readonly name: string
  readonly state: string
  readonly clusterType: "ManagedKubernetes" | "Kubernetes" | "ExternalKubernetes"
  readonly clusterSpec: string
  readonly profile: string
  readonly version: string
  readonly vpcId: string
  readonly size: number
  readonly tags: Readonly<Record<string, string>>
  readonly created: string
}

export interface Generate {
  readonly tencent?: ReadonlyArray<{ readonly region: string; readonly count: number }> | undefined
  readonly alibaba?: ReadonlyArray<{ readonly region: string; readonly count: number }> | undefined
}

export interface ClusterStoreService {
  readonly tencent: ReadonlyArray<TencentCluster>
  readonly alibaba: ReadonlyArray<AlibabaCluster>
  readonly findTencent: (clusterId: string) => TencentCluster | undefined
  readonly findAlibaba: (clusterId: string) => AlibabaCluster | undefined
}

export class ClusterStore extends Context.Tag("@kubecred/mock-cloud/internal/ClusterStore")<
  ClusterStore,
  ClusterStoreService
>() {}

const created = (index: number): Date => new Date(Date.UTC(2024, 0, 1) + index * 3_600_000 * 7)

const tencentCluster = (fixture: TencentClusterFixture, index: number): TencentCluster => ({
  clusterId: fixture.clusterId ?? tkeClusterId(`tencent/${fixture.region}/${fixture.name}`),
  region: fixture.region,
  name: fixture.name,
  status: fixture.status,
  type: fixture.type ?? "MANAGED_CLUSTER",
  version: fixture.version ?? "1.30.0",
  vpcId: fixture.vpcId ?? `vpc-${tkeClusterId(`vpc/${fixture.region}`).slice(4)}`,
  nodeCount: fixture.nodeCount ?? 3,
  tags: fixture.tags ?? {},
  // TKE formats CreatedTime as "YYYY-MM-DDTHH:mm:ssZ".
  createdTime: created(index)
    .toISOString()
    .replace(/\.\d{3}Z$/, "Z")
})

const alibabaCluster = (fixture: AlibabaClusterFixture, index: number): AlibabaCluster => {
  const clusterType = fixture.clusterType ?? "ManagedKubernetes"
  return {
    clusterId: fixture.clusterId ?? ackClusterId(`alibaba/${fixture.region}/${fixture.name}`),
    region: fixture.region,
    name: fixture.name,
    state: fixture.state,
    clusterType,
    clusterSpec: fixture.clusterSpec ?? (clusterType === "ManagedKubernetes" ? "ack.pro.small" : "ack.standard"),
    profile: fixture.profile ?? "Default",
    version: fixture.version ?? "1.30.1-aliyun.1",
    vpcId: fixture.vpcId ?? `vpc-${ackClusterId(`vpc/${fixture.region}`).slice(1, 22)}`,
    size: fixture.size ?? 3,
    tags: fixture.tags ?? {},
    // ACK formats `created` as "YYYY-MM-DDTHH:mm:ss+08:00".
    created: new Date(created(index).getTime() + 8 * 3_600_000).toISOString().replace(/\.\d{3}Z$/, "+08:00")
  }
}

const unique = <A extends { readonly clusterId: string }>(clusters: ReadonlyArray<A>): ReadonlyArray<A> => {
  const seen = new Set<string>()
  for (const cluster of clusters) {
    if (seen.has(cluster.clusterId)) throw new Error(`duplicate cluster id ${cluster.clusterId}`)
    seen.add(cluster.clusterId)
  }
  return clusters
}

export const make = (fixtures: Fixtures, generate: Generate = {}): Effect.Effect<ClusterStoreService> =>
  Effect.sync(() => {
    const tencentFixtures: Array<TencentClusterFixture> = [...(fixtures.tencent?.clusters ?? [])]
    for (const { region, count } of generate.tencent ?? []) {
      for (let i = 1; i <= count; i++) {
        tencentFixtures.push({ region, name: `gen-${region}-${i}`, status: "Running", clusterId: tkeClusterId() })
      }
    }
    const alibabaFixtures: Array<AlibabaClusterFixture> = [...(fixtures.alibaba?.clusters ?? [])]
    for (const { region, count } of generate.alibaba ?? []) {
      for (let i = 1; i <= count; i++) {
        alibabaFixtures.push({ region, name: `gen-${region}-${i}`, state: "running", clusterId: ackClusterId() })
      }
    }
    const tencent = unique(tencentFixtures.map(tencentCluster))
    const alibaba = unique(alibabaFixtures.map(alibabaCluster))
    const tencentById = new Map(tencent.map((c) => [c.clusterId, c]))
    const alibabaById = new Map(alibaba.map((c) => [c.clusterId, c]))
    return {
      tencent,
      alibaba,
      findTencent: (id) => tencentById.get(id),
      findAlibaba: (id) => alibabaById.get(id)
    }
  })

export const layer = (fixtures: Fixtures, generate: Generate = {}): Layer.Layer<ClusterStore> =>
  Layer.effect(ClusterStore, make(fixtures, generate))
