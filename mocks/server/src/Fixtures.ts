/**
 * The clusters the mock cloud knows: a schema for fixture files, the built-in defaults, and loading.
 */
import { Data, Effect, Schema } from "effect"
import { readFile } from "node:fs/promises"
import * as YAML from "yaml"
import { CloudIdentityFixtures } from "./StsFixtures.js"

const Tags = Schema.Record({ key: Schema.String, value: Schema.String })

export const TencentClusterFixture = Schema.Struct({
  /** `cls-` + 8 lowercase alphanumerics; derived from region and name when omitted. */
  clusterId: Schema.optional(Schema.String.pipe(Schema.pattern(/^cls-[a-z0-9]{8}$/))),
  region: Schema.String,
  name: Schema.String,
  /** A TKE ClusterStatus (Running, Abnormal, Deleting, ...) or `Deleted` (unknown to the API: gives not-found). */
  status: Schema.String,
  type: Schema.optional(Schema.Literal("MANAGED_CLUSTER", "INDEPENDENT_CLUSTER")),
  version: Schema.optional(Schema.String),
  vpcId: Schema.optional(Schema.String),
  nodeCount: Schema.optional(Schema.Int),
  tags: Schema.optional(Tags)
})
export type TencentClusterFixture = typeof TencentClusterFixture.Type

export const AlibabaClusterFixture = Schema.Struct({
  /** `c` + 32 lowercase hex; derived from region and name when omitted. */
  clusterId: Schema.optional(Schema.String.pipe(Schema.pattern(/^c[0-9a-f]{32}$/))),
  region: Schema.String,
  name: Schema.String,
  /** An ACK cluster state: running, failed, deleting, deleted, initial, updating, ... */
  state: Schema.String,
  clusterType: Schema.optional(Schema.Literal("ManagedKubernetes", "Kubernetes", "ExternalKubernetes")),
  clusterSpec: Schema.optional(Schema.String),
  profile: Schema.optional(Schema.String),
  version: Schema.optional(Schema.String),
  vpcId: Schema.optional(Schema.String),
  size: Schema.optional(Schema.Int),
  tags: Schema.optional(Tags)
})
export type AlibabaClusterFixture = typeof AlibabaClusterFixture.Type

export const Fixtures = Schema.Struct({
  /** `roles` and `oidcProviders` (StsFixtures.ts) default to the built-in ones when omitted. */
  tencent: Schema.optional(Schema.Struct({ clusters: Schema.Array(TencentClusterFixture), ...CloudIdentityFixtures })),
  alibaba: Schema.optional(Schema.Struct({ clusters: Schema.Array(AlibabaClusterFixture), ...CloudIdentityFixtures }))
})
export type Fixtures = typeof Fixtures.Type

export class FixturesError extends Data.TaggedError("FixturesError")<{
  readonly source: string
  readonly message: string
}> {}

const tke = (
  region: string,
  name: string,
  status: string,
  extra: Partial<TencentClusterFixture> = {}
): TencentClusterFixture => ({ region, name, status, ...extra })

const ack = (
  region: string,
  name: string,
  state: string,
  extra: Partial<AlibabaClusterFixture> = {}
): AlibabaClusterFixture => ({ region, name, state, ...extra })

const range = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => `${prefix}-${i + 1}`)

/** Several regions per cloud, every status, more than one page of TKE clusters in ap-guangzhou. */
export const defaults: Fixtures = {
  tencent: {
    clusters: [
      ...range("prod-web", 6).map((n) => tke("ap-guangzhou", n, "Running", { tags: { env: "prod" } })),
      ...range("prod-api", 4).map((n) => tke("ap-guangzhou", n, "Running", { tags: { env: "prod" } })),
      ...range("staging-web", 3).map((n) => tke("ap-guangzhou", n, "Running", { tags: { env: "staging" } })),
      ...range("staging-api", 2).map((n) => tke("ap-guangzhou", n, "Running", { tags: { env: "staging" } })),
      ...range("dev", 5).map((n) => tke("ap-guangzhou", n, "Running", { tags: { env: "dev" } })),
      tke("ap-guangzhou", "batch-1", "Abnormal"),
      tke("ap-guangzhou", "batch-2", "Deleting"),
      tke("ap-guangzhou", "ml-train-1", "Running", { type: "INDEPENDENT_CLUSTER", nodeCount: 8 }),
      tke("ap-guangzhou", "legacy-1", "Deleted"),
      tke("ap-shanghai", "prod-web-1", "Running", { tags: { env: "prod" } }),
      tke("ap-shanghai", "prod-db-1", "Abnormal"),
      tke("ap-shanghai", "old-1", "Deleting"),
      tke("ap-beijing", "prod-web-1", "Running", { tags: { env: "prod" } }),
      tke("ap-beijing", "edge-1", "Running", { version: "1.28.3" }),
      tke("ap-beijing", "retired-1", "Deleted")
    ]
  },
  alibaba: {
    clusters: [
      ack("cn-hangzhou", "prod-web-1", "running", { tags: { env: "prod" } }),
      ack("cn-hangzhou", "prod-api-1", "running", { tags: { env: "prod" } }),
      ack("cn-hangzhou", "staging-1", "running", { tags: { env: "staging" } }),
      ...range("dev", 6).map((n) => ack("cn-hangzhou", n, "running", { tags: { env: "dev" } })),
      ack("cn-hangzhou", "broken-1", "failed"),
      ack("cn-hangzhou", "leaving-1", "deleting"),
      ack("cn-hangzhou", "gone-1", "deleted"),
      ack("cn-beijing", "prod-web-1", "running", { tags: { env: "prod" } }),
      ack("cn-beijing", "edge-1", "running", { clusterType: "ManagedKubernetes", profile: "Edge" }),
      ack("cn-beijing", "dedicated-1", "running", { clusterType: "Kubernetes" }),
      ack("cn-shanghai", "prod-web-1", "running", { tags: { env: "prod" } }),
      ack("cn-shanghai", "gone-2", "deleted")
    ]
  }
}

const decode = Schema.decodeUnknown(Fixtures, { onExcessProperty: "error" })

/** Validates a fixtures object. */
export const validate = (input: unknown, source = "fixtures"): Effect.Effect<Fixtures, FixturesError> =>
  decode(input).pipe(Effect.mapError((error) => new FixturesError({ source, message: error.message })))

/** Reads a JSON or YAML fixtures file. */
export const load = (path: string): Effect.Effect<Fixtures, FixturesError> =>
  Effect.tryPromise({
    try: () => readFile(path, "utf8"),
    catch: (cause) => new FixturesError({ source: path, message: `cannot read: ${String(cause)}` })
  }).pipe(
    Effect.flatMap((text) =>
      Effect.try({
        try: () => YAML.parse(text) as unknown,
        catch: (cause) => new FixturesError({ source: path, message: `not JSON or YAML: ${String(cause)}` })
      })
    ),
    Effect.flatMap((input) => validate(input, path))
  )
