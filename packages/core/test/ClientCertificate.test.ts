import { describe, expect, it, layer } from "@effect/vitest"
import { MockCloudServer, layer as mockLayer } from "@kubecred/mock-cloud"
import * as Effect from "effect/Effect"
import * as FastCheck from "effect/FastCheck"
import { X509Certificate } from "node:crypto"
import { createRequire } from "node:module"
import * as YAML from "yaml"
import { inspect, readDer } from "../src/ClientCertificate.js"

const require = createRequire(import.meta.url)

/** A tiny DER writer: enough for a certificate skeleton. */
const tlv = (tag: number, content: Uint8Array): Uint8Array => {
  const n = content.length
  const length = n < 128 ? [n] : n < 256 ? [0x81, n] : [0x82, n >> 8, n & 0xff]
  return Uint8Array.from([tag, ...length, ...content])
}
const seq = (...parts: Array<Uint8Array>) => tlv(0x30, Uint8Array.from(parts.flatMap((p) => [...p])))
const ascii = (s: string) => Uint8Array.from(Buffer.from(s, "latin1"))
const pad = (n: number, width = 2) => String(n).padStart(width, "0")
const time = (d: Date) => {
  const rest = `${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}Z`
  const year = d.getUTCFullYear()
  return year >= 1950 && year < 2050
    ? tlv(0x17, ascii(`${pad(year % 100)}${rest}`))
    : tlv(0x18, ascii(`${pad(year, 4)}${rest}`))
}
const skeleton = (notAfter: Date, cn: string) =>
  seq(
    seq(
      tlv(0xa0, tlv(0x02, Uint8Array.of(2))),
      tlv(0x02, Uint8Array.of(1)),
      seq(),
      seq(),
      seq(time(new Date(0)), time(notAfter)),
      seq(tlv(0x31, seq(tlv(0x06, Uint8Array.of(0x55, 0x04, 0x03)), tlv(0x0c, Uint8Array.from(Buffer.from(cn))))))
    )
  )

describe("certificate (DER reader)", () => {
  it("reads notAfter (UTCTime and GeneralizedTime) and the CN", () => {
    FastCheck.assert(
      FastCheck.property(
        FastCheck.date({
          min: new Date("1950-01-01T00:00:00Z"),
          max: new Date("9999-12-31T23:59:59Z"),
          noInvalidDate: true
        }),
        FastCheck.string({ minLength: 1, maxLength: 40 }),
        (date, cn) => {
          const seconds = new Date(Math.floor(date.getTime() / 1000) * 1000)
          expect(readDer(skeleton(seconds, cn))).toEqual({ notAfter: seconds, commonName: cn })
        }
      ),
      { numRuns: 300 }
    )
  })

  it("gives nothing for what is not a certificate", () => {
    expect(inspect(Buffer.from("hello").toString("base64"))).toEqual({})
    expect(() => readDer(Uint8Array.of(0x30, 0x03, 0x02, 0x01, 0x01))).toThrow()
  })
})

layer(mockLayer({ tencentRateLimit: 10_000 }), { excludeTestServices: true })("certificate vs node:crypto", (it) => {
  it.effect("agrees with X509Certificate on the mock's client certificates", () =>
    Effect.gen(function* () {
      const mock = yield* MockCloudServer
      const { tke } = require("tencentcloud-sdk-nodejs-tke")
      const url = new URL(mock.tencent.endpoint)
      const client = new tke.v20180525.Client({
        credential: { secretId: mock.tencent.secretId, secretKey: mock.tencent.secretKey },
        region: "ap-guangzhou",
        profile: { httpProfile: { endpoint: url.host, protocol: "http://" } }
      })
      for (const cluster of mock.tencent.clusters.filter((c) => c.status === "Running").slice(0, 4)) {
        const answer = yield* Effect.promise(() =>
          client.DescribeClusterKubeconfig({ ClusterId: cluster.clusterId, IsExtranet: true })
        )
        const data = YAML.parse((answer as { Kubeconfig: string }).Kubeconfig).users[0].user[
          "client-certificate-data"
        ] as string
        const node = new X509Certificate(Buffer.from(data, "base64"))
        const ours = inspect(data)
        expect(ours.notAfter?.getTime()).toBe(new Date(node.validTo).getTime())
        expect(ours.commonName).toBe(/CN=([^\n]+)/.exec(node.subject)?.[1])
      }
    })
  )
})
