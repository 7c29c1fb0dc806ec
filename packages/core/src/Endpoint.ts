/**
 * Which API server address a kubeconfig points at. TKE's API defaults to the private one (IsExtranet=false),
 * ACK's to the public one (PrivateIpAddress=false); kubecred defaults to public for both and says so.
 */
import * as Schema from "effect/Schema"

export const EndpointKind = Schema.Literal("public", "private").annotations({ identifier: "EndpointKind" })
export type EndpointKind = typeof EndpointKind.Type
