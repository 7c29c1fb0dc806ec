/** The shared KubeconfigSource contract (@kubecred/core/test-kit) over both ACK transports against the mock. */
import * as KubeconfigSourceContract from "@kubecred/core/test-kit/KubeconfigSourceContract"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import { scoped } from "../src/AckClient.js"
import { MockCloudServer, mockLayer, requestsSeen, withFaults } from "./fixtures.js"

const PAGED = "cn-shenzhen"

for (const transport of ["http", "sdk"] as const) {
  KubeconfigSourceContract.run({
    name: `ACK over ${transport}`,
    provider: "alibaba",
    actions: { fetch: "DescribeClusterUserKubeconfig", list: "DescribeClustersV1" },
    layer: mockLayer(),
    source: ({ credentials, defaultRegion }) =>
      Effect.flatMap(MockCloudServer, (mock) =>
        scoped({
          env: defaultRegion === undefined ? {} : { ALIBABA_CLOUD_REGION_ID: defaultRegion },
          home: "/nonexistent-kubecred-test-home",
          transport,
          endpoint: mock.alibaba.endpoint,
          credentials: {
            accessKeyId: mock.alibaba.accessKeyId,
            accessKeySecret: Redacted.make(credentials === "valid" ? mock.alibaba.accessKeySecret : "not-the-secret")
          }
        })
      ),
    running: Effect.map(MockCloudServer, (mock) => {
      const c = mock.alibaba.clusters.find((c) => c.region === "cn-hangzhou" && c.state === "running")!
      return { region: c.region, clusterId: c.clusterId }
    }),
    paged: Effect.map(MockCloudServer, (mock) => ({
      region: PAGED,
      clusterIds: mock.alibaba.clusters
        .filter((c) => c.region === PAGED && c.state !== "deleted")
        .map((c) => c.clusterId)
    })),
    clustersIn: (region) =>
      Effect.map(MockCloudServer, (mock) =>
        mock.alibaba.clusters.filter((c) => c.region === region && c.state !== "deleted").map((c) => c.clusterId)
      ),
    unknownClusterId: `c${"0".repeat(32)}`,
    malformedClusterId: "cls-abcdefgh",
    requests: requestsSeen,
    withFaults: (faults, effect) =>
      withFaults(
        faults.map((f) => ({ provider: "alibaba" as const, ...f })),
        effect
      )
  })
}
