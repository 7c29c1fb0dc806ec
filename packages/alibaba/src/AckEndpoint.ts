/**
 * Where ACK's API lives (docs/contracts/ack.md "Endpoints"): `cs.<region>.aliyuncs.com`, except the special, finance, gov and
 * internal regions that @alicloud/cs20151215 7.2.0 maps to the central `cs.aliyuncs.com` (its `_endpointMap`).
 * Every other mapped region is `cs.<region>.aliyuncs.com`, the same as the rule.
 */

/** Regions served by the central endpoint, copied from the SDK's `_endpointMap`. */
export const centralRegions: ReadonlySet<string> = new Set([
  "ap-northeast-2-pop",
  "cn-beijing-finance-pop",
  "cn-beijing-gov-1",
  "cn-beijing-nu16-b01",
  "cn-edge-1",
  "cn-fujian",
  "cn-haidian-cm12-c01",
  "cn-hangzhou-bj-b01",
  "cn-hangzhou-internal-prod-1",
  "cn-hangzhou-internal-test-1",
  "cn-hangzhou-internal-test-2",
  "cn-hangzhou-internal-test-3",
  "cn-hangzhou-test-306",
  "cn-hongkong-finance-pop",
  "cn-qingdao-nebula",
  "cn-shanghai-et15-b01",
  "cn-shanghai-et2-b01",
  "cn-shanghai-inner",
  "cn-shanghai-internal-test-1",
  "cn-shenzhen-inner",
  "cn-shenzhen-st4-d01",
  "cn-shenzhen-su18-b01",
  "cn-wuhan",
  "cn-yushanfang",
  "cn-zhangbei",
  "cn-zhangbei-na61-b01",
  "cn-zhangjiakou-na62-a01",
  "cn-zhengzhou-nebula-1",
  "eu-west-1-oxs",
  "rus-west-1-pop"
])

export const CENTRAL_HOST = "cs.aliyuncs.com"

/** The default API origin for a region, e.g. `https://cs.cn-hangzhou.aliyuncs.com`. */
export const defaultEndpoint = (region: string): string =>
  `https://${centralRegions.has(region) ? CENTRAL_HOST : `cs.${region}.aliyuncs.com`}`

/**
 * Normalises an endpoint override: a URL (`http://127.0.0.1:8080`, `https://gw.example`) is kept (path and
 * trailing slash dropped); a bare `host[:port]` means https.
 */
export const parseOverride = (endpoint: string): URL | undefined => {
  const text = endpoint.trim()
  try {
    const url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`)
    if (url.protocol !== "http:" && url.protocol !== "https:") return undefined
    return new URL(url.origin)
  } catch {
    return undefined
  }
}
