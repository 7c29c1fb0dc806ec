/** The shared KubeconfigSource contract (@kubecred/core/test-kit) over both TKE transports against the mock. */
import * as KubeconfigSourceContract from "@kubecred/core/test-kit/KubeconfigSourceContract"
import { layer as mockLayer } from "@kubecred/mock-cloud"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import * as TkeClient from "../src/TkeClient.js"
import { MockCloudServer, credentialsOf, isolated, requestsOf, transports } from "./support/mock.js"

const PAGED = "ap-chengdu"

for (const transport of transports) {
  KubeconfigSourceContract.run({
    name: `TKE over ${transport}`,
    provider: "tencent",
    actions: { fetch: "DescribeClusterKubeconfig", list: "DescribeClusters" },
    layer: mockLayer({ tencentRateLimit: 10_000, generate: { tencent: [{ region: PAGED, count: 230 }] } }),
    source: ({ credentials, defaultRegion }) =>
      Effect.flatMap(MockCloudServer, (mock) =>
        TkeClient.scoped({
          ...isolated,
          env: defaultRegion === undefined ? {} : { TENCENTCLOUD_REGION: defaultRegion },
          transport,
          endpoint: mock.tencent.endpoint,
          credentials:
            credentials === "valid"
              ? credentialsOf(mock)
              : { secretId: mock.tencent.secretId, secretKey: Redacted.make("wrong-secret-key-123") }
        })
      ),
    running: Effect.map(MockCloudServer, (mock) => {
      const c = mock.tencent.clusters.find((c) => c.region === "ap-guangzhou" && c.status === "Running")!
      return { region: c.region, clusterId: c.clusterId }
    }),
    paged: Effect.map(MockCloudServer, (mock) => ({
      region: PAGED,
      clusterIds: mock.tencent.clusters
        .filter((c) => c.region === PAGED && c.status !== "Deleted")
        .map((c) => c.clusterId)
    })),
    clustersIn: (region) =>
      Effect.map(MockCloudServer, (mock) =>
        mock.tencent.clusters.filter((c) => c.region === region && c.status !== "Deleted").map((c) => c.clusterId)
      ),
    unknownClusterId: "cls-zzzzzzzz",
    malformedClusterId: "not-a-cluster",
    requests: (action) => Effect.map(MockCloudServer, (mock) => requestsOf(mock, action)),
    withFaults: (faults, effect) =>
      Effect.acquireUseRelease(
        Effect.flatMap(MockCloudServer, (mock) =>
          Effect.sync(() => mock.setFaults(faults.map((f) => ({ provider: "tencent" as const, ...f }))))
        ),
        () => effect,
        () => Effect.flatMap(MockCloudServer, (mock) => Effect.sync(() => mock.setFaults([])))
      )
  })
}
