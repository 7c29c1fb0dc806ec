/**
 * The two clouds kubecred talks to, with the short names people type (`tke`, `ack`).
 */
import * as Schema from "effect/Schema"

/** The canonical provider name. */
export const ProviderName = Schema.Literal("tencent", "alibaba")
export type ProviderName = typeof ProviderName.Type

/** What users may type: the canonical names or their product aliases. */
export const ProviderInput = Schema.Literal("tencent", "alibaba", "tke", "ack")

const aliases: Record<typeof ProviderInput.Type, ProviderName> = {
  tencent: "tencent",
  tke: "tencent",
  alibaba: "alibaba",
  ack: "alibaba"
}

/** Decodes `tencent | tke | alibaba | ack` to `tencent | alibaba`. */
export const Provider = Schema.transform(ProviderInput, ProviderName, {
  strict: true,
  decode: (input) => aliases[input],
  encode: (name) => name
}).annotations({ identifier: "Provider", description: "tencent (alias tke) or alibaba (alias ack)" })
export type Provider = ProviderName

/** The action that hands out a cluster's kubeconfig (named in errors about its answer). */
export const kubeconfigAction = (provider: ProviderName): string =>
  provider === "tencent" ? "DescribeClusterKubeconfig" : "DescribeClusterUserKubeconfig"

/** The product name shown to people. */
export const productName = (provider: ProviderName): string => (provider === "tencent" ? "TKE" : "ACK")
