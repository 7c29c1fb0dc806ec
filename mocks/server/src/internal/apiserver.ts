/** A kube-apiserver stub over mutual TLS: discovery and namespaces, only for a valid client certificate of the cluster. */
import { HttpServerRequest, HttpServerResponse } from "@effect/platform"
import { NodeHttpServerRequest } from "@effect/platform-node"
import { Clock, Effect } from "effect"
import type { TLSSocket } from "node:tls"
import { ClusterStore } from "./clusterStore.js"
import { parseServerName, Pki } from "./pki.js"

const NAMESPACES = ["default", "kube-system", "kube-public"] as const
const CREATED = "2024-01-01T00:00:00Z"

const status = (code: number, reason: string, message: string) =>
  HttpServerResponse.unsafeJson(
    { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, reason, code },
    { status: code }
  )

const namespace = (name: string, clusterId: string) => ({
  kind: "Namespace",
  apiVersion: "v1",
  metadata: {
    name,
    uid: `${clusterId.slice(0, 8)}-0000-4000-8000-${Buffer.from(name).toString("hex").padEnd(12, "0").slice(0, 12)}`,
    resourceVersion: "1",
    creationTimestamp: CREATED,
    labels: { "kubernetes.io/metadata.name": name }
  },
  spec: { finalizers: ["kubernetes"] },
  status: { phase: "Active" }
})

const table = (clusterId: string) => ({
  kind: "Table",
  apiVersion: "meta.k8s.io/v1",
  metadata: { resourceVersion: "1" },
  columnDefinitions: [
    { name: "Name", type: "string", format: "name", description: "Name", priority: 0 },
    { name: "Status", type: "string", format: "", description: "The status of the namespace", priority: 0 },
    { name: "Age", type: "string", format: "", description: "Age", priority: 0 }
  ],
  rows: NAMESPACES.map((name) => ({
    cells: [name, "Active", "1y"],
    object: {
      kind: "PartialObjectMetadata",
      apiVersion: "meta.k8s.io/v1",
      metadata: namespace(name, clusterId).metadata
    }
  }))
})

const routes = (path: string, accept: string, clusterId: string, provider: string) => {
  switch (path) {
    case "/version":
      return HttpServerResponse.unsafeJson({
        major: "1",
        minor: "30",
        gitVersion: provider === "tencent" ? "v1.30.0-tke.10" : "v1.30.1-aliyun.1",
        gitCommit: "0000000000000000000000000000000000000000",
        gitTreeState: "clean",
        buildDate: CREATED,
        goVersion: "go1.22.5",
        compiler: "gc",
        platform: "linux/amd64"
      })
    case "/api":
      return HttpServerResponse.unsafeJson({
        kind: "APIVersions",
        versions: ["v1"],
        serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress: "127.0.0.1:443" }]
      })
    case "/apis":
      return HttpServerResponse.unsafeJson({ kind: "APIGroupList", apiVersion: "v1", groups: [] })
    case "/api/v1":
      return HttpServerResponse.unsafeJson({
        kind: "APIResourceList",
        groupVersion: "v1",
        resources: [
          {
            name: "namespaces",
            singularName: "namespace",
            namespaced: false,
            kind: "Namespace",
            verbs: ["get", "list"],
            shortNames: ["ns"]
          }
        ]
      })
    case "/api/v1/namespaces":
      if (accept.includes("as=Table")) {
        return HttpServerResponse.unsafeJson(table(clusterId), {
          contentType: "application/json;as=Table;v=v1;g=meta.k8s.io"
        })
      }
      return HttpServerResponse.unsafeJson({
        kind: "NamespaceList",
        apiVersion: "v1",
        metadata: { resourceVersion: "1" },
        items: NAMESPACES.map((name) => namespace(name, clusterId))
      })
    default: {
      const match = /^\/api\/v1\/namespaces\/([^/]+)$/.exec(path)
      if (match && (NAMESPACES as ReadonlyArray<string>).includes(match[1]!)) {
        return HttpServerResponse.unsafeJson(namespace(match[1]!, clusterId))
      }
      return status(404, "NotFound", "the server could not find the requested resource")
    }
  }
}

export const app = Effect.gen(function* () {
  const request = yield* HttpServerRequest.HttpServerRequest
  const socket = NodeHttpServerRequest.toIncomingMessage(request).socket as TLSSocket
  const servername = (socket as TLSSocket & { servername?: string | false }).servername
  const target = typeof servername === "string" ? parseServerName(servername) : undefined
  const store = yield* ClusterStore
  const known =
    target !== undefined &&
    (target.provider === "tencent" ? store.findTencent(target.clusterId) : store.findAlibaba(target.clusterId)) !==
      undefined
  const peer = socket.getPeerCertificate(true)
  if (!target || !known || !peer?.raw) return status(401, "Unauthorized", "Unauthorized")
  const pki = yield* Pki
  const now = new Date(yield* Clock.currentTimeMillis)
  if (!(yield* pki.verifyClient(target.provider, target.clusterId, peer.raw, now))) {
    return status(401, "Unauthorized", "Unauthorized")
  }
  if (request.method !== "GET") return status(405, "MethodNotAllowed", "the server does not allow this method")
  const path = request.url.split("?")[0]!
  return routes(path, request.headers.accept ?? "", target.clusterId, target.provider)
})
