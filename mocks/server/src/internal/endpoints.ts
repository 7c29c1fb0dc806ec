import { Context } from "effect"

/** Where the mock listens, as clients see it. */
export interface EndpointsService {
  /** `http://127.0.0.1:P`: both clouds and the control endpoint. */
  readonly cloud: string
  /** `https://127.0.0.1:Q`: the kube-apiserver stub. */
  readonly apiserver: string
}

export class Endpoints extends Context.Tag("@kubecred/mock-cloud/internal/Endpoints")<Endpoints, EndpointsService>() {}
