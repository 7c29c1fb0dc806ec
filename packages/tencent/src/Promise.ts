/**
 * For programs that don't use Effect: the same client behind Promises (@kubecred/core/PromiseFacade: the same
 * options and results as the ACK facade, one runtime per configuration). Rejections are the tagged error
 * instances of the taxonomy (`error._tag`: "ClusterNotFound", "AuthenticationFailed", ...), never a wrapper.
 *
 * ```ts
 * import { fetchKubeconfig } from "@kubecred/tencent/Promise"
 * const { kubeconfig, expiresAt } = await fetchKubeconfig({ clusterId: "cls-65r1c5nu", region: "ap-guangzhou" })
 * ```
 */
import type { ClusterSummary } from "@kubecred/core/ClusterSummary"
import * as PromiseFacade from "@kubecred/core/PromiseFacade"
import { ENV_ENDPOINT, ENV_REGION } from "./TkeEnvironment.js"
import { type TkeClientOptions, layerSource } from "./TkeClient.js"

export type { ClusterSummary } from "@kubecred/core/ClusterSummary"
export type { ProviderError } from "@kubecred/core/KubecredError"
export type { FetchedKubeconfigResult } from "@kubecred/core/PromiseFacade"
export type { TkeClientOptions, TkeCredentials } from "./TkeClient.js"

/** The client options, with the API endpoint override named `apiEndpoint` (`endpoint` is the kubeconfig's side). */
export interface ClientOptions extends Omit<TkeClientOptions, "endpoint"> {
  /** The API endpoint URL override (TkeClientOptions.endpoint); default KUBECRED_TKE_ENDPOINT from `env`. */
  readonly apiEndpoint?: string | undefined
}

export interface FetchKubeconfigOptions extends ClientOptions, PromiseFacade.FetchOptions {}
export interface ListClustersOptions extends ClientOptions, PromiseFacade.ListOptions {}

const facade = PromiseFacade.make<ClientOptions>({
  provider: "tencent",
  noRegion: `no region given, ${ENV_REGION} is unset and the tccli profile names none`,
  clientOptions: ({ apiEndpoint, ...options }) => ({
    ...options,
    endpoint: apiEndpoint ?? (options.env ?? process.env)[ENV_ENDPOINT]
  }),
  layer: (options) => layerSource(options as TkeClientOptions)
})

export const fetchKubeconfig: (options: FetchKubeconfigOptions) => Promise<PromiseFacade.FetchedKubeconfigResult> =
  facade.fetchKubeconfig

/** Every cluster of every page of every region (the default region when none is given). */
export const listClusters: (options?: ListClustersOptions) => Promise<Array<ClusterSummary>> = facade.listClusters

/** Releases the runtimes (agents, SDK clients) the calls so far have built. */
export const dispose: () => Promise<void> = facade.dispose
