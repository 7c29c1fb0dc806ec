import { describe, expect, it } from "@effect/vitest"
import { centralRegions, defaultEndpoint, parseOverride } from "../src/AckEndpoint.js"

describe("AckEndpoint", () => {
  it("regional endpoints, the central exceptions, overrides", () => {
    expect(defaultEndpoint("cn-hangzhou")).toBe("https://cs.cn-hangzhou.aliyuncs.com")
    expect(defaultEndpoint("ap-southeast-1")).toBe("https://cs.ap-southeast-1.aliyuncs.com")
    expect(defaultEndpoint("xx-unknown-1")).toBe("https://cs.xx-unknown-1.aliyuncs.com")
    expect(defaultEndpoint("cn-zhangbei")).toBe("https://cs.aliyuncs.com")
    expect(centralRegions.size).toBe(30)
    expect(parseOverride("http://127.0.0.1:8080/")?.origin).toBe("http://127.0.0.1:8080")
    expect(parseOverride("gw.example:8443")?.origin).toBe("https://gw.example:8443")
    expect(parseOverride("ftp://x")).toBeUndefined()
  })
})
