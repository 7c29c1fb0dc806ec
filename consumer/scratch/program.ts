// A user's program, type-checked strictly and run in a scratch project that installed the packages from a
// registry: the mock from @kubecred/mock-cloud, both clouds through the Promise facades, then through the Effect
// API into a kubeconfig (KUBECONFIG, set by the caller), which kubectl reads.
import { execFile } from "node:child_process"
import { promisify } from "node:util"
import { decodeFetchRequest } from "@kubecred/core/FetchRequest"
import { KubeconfigSource } from "@kubecred/core/KubeconfigSource"
import * as KubeconfigStore from "@kubecred/kubeconfig/KubeconfigStore"
import * as AckClient from "@kubecred/alibaba/AckClient"
import * as AckPromise from "@kubecred/alibaba/Promise"
import { start } from "@kubecred/mock-cloud"
import * as TkeClient from "@kubecred/tencent/TkeClient"
import * as TkePromise from "@kubecred/tencent/Promise"
import * as Effect from "effect/Effect"

const check = (ok: boolean, what: string): void => {
  if (!ok) throw new Error(`consumer program: ${what}`)
}

const mock = await start({ port: 0 })
try {
  // Credentials as a user gives them: the environment (the chains read it).
  process.env.TENCENTCLOUD_SECRET_ID = mock.tencent.secretId
  process.env.TENCENTCLOUD_SECRET_KEY = mock.tencent.secretKey
  process.env.ALIBABA_CLOUD_ACCESS_KEY_ID = mock.alibaba.accessKeyId
  process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET = mock.alibaba.accessKeySecret
  const tke = mock.tencent.clusters.find((c) => c.status === "Running")
  const ack = mock.alibaba.clusters.find((c) => c.state === "running")
  if (tke === undefined || ack === undefined) throw new Error("consumer program: the mock has no running cluster")

  // Promise facades
  const tkeListed = await TkePromise.listClusters({ regions: [tke.region], apiEndpoint: mock.tencent.endpoint })
  check(
    tkeListed.some((c) => c.clusterId === tke.clusterId),
    "tencent listClusters misses the cluster"
  )
  const tkeFetched = await TkePromise.fetchKubeconfig({
    clusterId: tke.clusterId,
    region: tke.region,
    apiEndpoint: mock.tencent.endpoint
  })
  check(tkeFetched.kubeconfig.includes(mock.apiserver), "tencent fetchKubeconfig: not the mock's API server")
  const ackListed = await AckPromise.listClusters({ regions: [ack.region], apiEndpoint: mock.alibaba.endpoint })
  check(
    ackListed.some((c) => c.clusterId === ack.clusterId),
    "alibaba listClusters misses the cluster"
  )
  const ackFetched = await AckPromise.fetchKubeconfig({
    clusterId: ack.clusterId,
    region: ack.region,
    apiEndpoint: mock.alibaba.endpoint,
    temporaryDurationMinutes: 60
  })
  check(ackFetched.expiresAt instanceof Date, "alibaba fetchKubeconfig: no expiry on a temporary kubeconfig")
  console.log(`Promise facades: ${tkeListed.length} TKE and ${ackListed.length} ACK clusters listed, 2 kubeconfigs`)

  // The Effect API, into the kubeconfig
  const add = (input: unknown) =>
    Effect.gen(function* () {
      const source = yield* KubeconfigSource
      const store = yield* KubeconfigStore.KubeconfigStore
      const request = yield* decodeFetchRequest(input)
      const fetched = yield* source.fetch(request)
      return yield* store.add(fetched, { onConflict: "fail", setCurrent: false })
    })
  const contexts = await Effect.runPromise(
    Effect.all([
      add({ _tag: "tencent", region: tke.region, clusterId: tke.clusterId, endpoint: "public" }).pipe(
        Effect.provide(TkeClient.layerSource({ endpoint: mock.tencent.endpoint }))
      ),
      add({ _tag: "alibaba", region: ack.region, clusterId: ack.clusterId, endpoint: "public" }).pipe(
        Effect.provide(AckClient.layerSource({ endpoint: mock.alibaba.endpoint }))
      )
    ]).pipe(
      Effect.map((results) => results.map((r) => r.contextName)),
      Effect.provide(KubeconfigStore.layer)
    )
  )
  for (const context of contexts) {
    // Asynchronously: the mock answers kubectl from this process.
    const { stdout: out } = await promisify(execFile)("kubectl", [
      "get",
      "namespaces",
      "--context",
      context,
      "-o",
      "name"
    ])
    check(out.includes("namespace/default"), `kubectl --context ${context} did not list namespace/default`)
    console.log(`Effect API: ${context} in ${process.env.KUBECONFIG}; kubectl: ${out.trim().split("\n").join(" ")}`)
  }
} finally {
  await mock.stop()
}
