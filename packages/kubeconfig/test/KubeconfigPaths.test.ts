import { describe, expect, it } from "@effect/vitest"
import * as path from "node:path"
import { resolve, splitKubeconfigEnv } from "../src/KubeconfigPaths.js"

const existing =
  (...files: Array<string>) =>
  (file: string) =>
    files.includes(file)

describe("KubeconfigPaths", () => {
  it("an explicit path wins over KUBECONFIG", () => {
    const resolved = resolve({ explicit: "/x/explicit", env: { KUBECONFIG: "/a:/b" }, home: "/home/u" })
    expect(resolved).toEqual({ writeTarget: "/x/explicit", readChain: ["/x/explicit"] })
  })

  it("writes to the first existing KUBECONFIG file", () => {
    const resolved = resolve({ env: { KUBECONFIG: "/a:/b:/c" }, home: "/h", exists: existing("/b", "/c") })
    expect(resolved).toEqual({ writeTarget: "/b", readChain: ["/a", "/b", "/c"] })
  })

  it("writes to the LAST entry when none exists (kubectl, unlike the cloud CLIs)", () => {
    const resolved = resolve({ env: { KUBECONFIG: "/c.yaml:/d.yaml" }, home: "/h", exists: existing() })
    expect(resolved.writeTarget).toBe("/d.yaml")
  })

  it("splits on ';' on Windows, drops empty entries and duplicates", () => {
    expect(splitKubeconfigEnv("a;b;;a", "win32")).toEqual(["a", "b"])
    expect(splitKubeconfigEnv("/a::/b:/a", "linux")).toEqual(["/a", "/b"])
  })

  it("falls back to ~/.kube/config", () => {
    expect(resolve({ env: {}, home: "/home/u" })).toEqual({
      writeTarget: path.join("/home/u", ".kube", "config"),
      readChain: [path.join("/home/u", ".kube", "config")]
    })
    expect(resolve({ env: { KUBECONFIG: "" }, home: "/h" }).writeTarget).toBe("/h/.kube/config")
  })

  it("expands ~ in an explicit path", () => {
    expect(resolve({ explicit: "~/k.yaml", env: {}, home: "/home/u" }).writeTarget).toBe("/home/u/k.yaml")
  })
})
