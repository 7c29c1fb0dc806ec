import { describe, expect, it } from "@effect/vitest"
import * as YAML from "yaml"
import { renderDocument, renderItem } from "../../src/internal/render.js"

/** Strings that one YAML version or the other reads as something else, or splits across lines. */
const TRICKY = [
  "yes",
  "No",
  "on",
  "OFF",
  "y",
  "~",
  "null",
  "",
  "0o17",
  "017",
  "0x1F",
  "0b101",
  "1_000",
  "190:20:30",
  "1.5",
  ".5",
  "1e3",
  ".inf",
  ".NaN",
  "2001-12-14",
  "2001-12-14t21:59:43.10-05:00",
  "<<",
  "a\u2028b",
  "next\u0085line",
  "tab\there",
  "ünïcode",
  "- item",
  "key: value",
  "# comment",
  " padded "
]

const readsBack = (data: unknown) => {
  const text = renderDocument(data)
  expect(YAML.parse(text)).toEqual(data)
  expect(YAML.parse(text, { version: "1.1" })).toEqual(data)
  return text
}

describe("renderDocument", () => {
  it("renders every ambiguous string so that YAML 1.1 and 1.2 read the same data back", () => {
    for (const value of TRICKY) {
      readsBack({ name: value })
      const data = { [value === "" ? "empty" : value]: "x", list: [value] }
      readsBack(data)
      // as an entry spliced into a block list, too
      const list = `clusters:\n${renderItem(data, 0, "\n")}`
      expect(YAML.parse(list)).toEqual({ clusters: [data] })
      expect(YAML.parse(list, { version: "1.1" })).toEqual({ clusters: [data] })
    }
  })

  it("renders a kubeconfig's names, URLs and base64 data plain, in kubectl's style", () => {
    const data = {
      apiVersion: "v1",
      kind: "Config",
      preferences: {},
      clusters: [
        {
          name: "tencent-ap-guangzhou-cls-abc123",
          cluster: { server: "https://10.0.0.1:443", "certificate-authority-data": "LS0tLS1CRUdJTi+/=" }
        }
      ],
      "current-context": "tencent-ap-guangzhou-cls-abc123",
      insecure: false
    }
    const text = readsBack(data)
    expect(text).not.toMatch(/["']/)
    expect(text).toContain("clusters:\n- cluster:\n    certificate-authority-data: LS0tLS1CRUdJTi+/=\n")
  })

  it("keeps numbers exact in both versions", () => {
    readsBack({ port: 8080, ratio: 0.5, big: 1e21, octalish: 8 })
  })
})
