export interface TencentRouter {
  /** http://127.0.0.1:P */
  readonly url: string
  /** 127.0.0.1:P, for an SDK's endpoint option. */
  readonly endpoint: string
  readonly close: () => Promise<void>
}

export declare const startTencentRouter: (options: {
  /** Path of tencent-tke.yaml, or another one-path RPC contract (tencent-sts.yaml, alibaba-sts.yaml). */
  readonly spec: string
  /** A file URL or path inside the package whose node_modules pins Prism. */
  readonly resolveFrom: string | URL
  /** Proxy to this base URL; mock mode when absent. */
  readonly upstream?: string
  /** Like prism's --errors (default true). */
  readonly errors?: boolean
  readonly port?: number
  /** Where the action is named: X-TC-Action (default), or the `Action` query key (Alibaba RPC, e.g. the STS). */
  readonly actionFrom?: "header" | "query"
}) => Promise<TencentRouter>
