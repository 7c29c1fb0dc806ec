/**
 * For programs that don't use Effect: the same client behind Promises (@kubecred/core/PromiseFacade: the same
 * options and results as the TKE facade, one runtime per configuration). Rejections are the tagged error
 * instances of the taxonomy (`error._tag`: "ClusterNotFound", "AuthenticationFailed", ...), never a wrapper.
 *
 * ```ts
 * import { fetchKubeconfig } from "@kubecred/alibaba/Promise"
 * const { kubeconfig, expiresAt } = await fetchKubeconfig({ clusterId: "c5b5e80b0b64a4bf6939d2d8fbbc5ab12", region: "cn-hangzhou" })
 * ```
 */
import type { ClusterSummary } from "@kubecred/core/ClusterSummary"
import * as PromiseFacade from "@kubecred/core/PromiseFacade"
import { ENV_ENDPOINT, ENV_REGION } from "./AckEnvironment.js"
import { type AckClientOptions, layerSource } from "./AckClient.js"

export type { ClusterSummary } from "@kubecred/core/ClusterSummary"
export type { ProviderError } from "@kubecred/core/KubecredError"
export type { FetchedKubeconfigResult } from "@kubecred/core/PromiseFacade"
export type { AckClientOptions, AckCredentials } from "./AckClient.js"

/** The client options, with the API endpoint override named `apiEndpoint` (`endpoint` is the kubeconfig's side). */
export interface ClientOptions extends Omit<AckClientOptions, "endpoint"> {
  /** The API endpoint URL override (AckClientOptions.endpoint); default KUBECRED_ACK_ENDPOINT from `env`. */
  readonly apiEndpoint?: string | undefined
}

export interface FetchKubeconfigOptions extends ClientOptions, PromiseFacade.FetchOptions {}
export interface ListClustersOptions extends ClientOptions, PromiseFacade.ListOptions {}

const facade = PromiseFacade.make<ClientOptions>({
  provider: "alibaba",
  noRegion: `no region given, ${ENV_REGION} is unset and the aliyun CLI profile names none`,
  clientOptions: ({ apiEndpoint, ...options }) => ({
    ...options,
    endpoint: apiEndpoint ?? (options.env ?? process.env)[ENV_ENDPOINT]
  }),
  layer: (options) => layerSource(options as AckClientOptions)
})

export const fetchKubeconfig: (options: FetchKubeconfigOptions) => Promise<PromiseFacade.FetchedKubeconfigResult> =
  facade.fetchKubeconfig

/** Every cluster of every page of every region (the default region when none is given). */
export const listClusters: (options?: ListClustersOptions) => Promise<Array<ClusterSummary>> = facade.listClusters

/** Releases the runtimes (agents, SDK clients) the calls so far have built. */
export const dispose: () => Promise<void> = facade.dispose
