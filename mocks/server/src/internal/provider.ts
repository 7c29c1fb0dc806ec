/** The two clouds the mock serves. */
export type Provider = "tencent" | "alibaba"
