/**
 * The validation steps every command runs before anything is sent, as Effects.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as CliConfig from "@effect/cli/CliConfig"
import * as HelpDoc from "@effect/cli/HelpDoc"
import * as Options from "@effect/cli/Options"
import * as NodeContext from "@effect/platform-node/NodeContext"
import {
  buildRequest,
  regionOption,
  resolveRegion,
  ttlOption,
  validateClusterId,
  validateTtl
} from "../src/commands/shared.js"
import { parseFilters } from "../src/commands/sync.js"
import { renderFailure } from "../src/internal/errors.js"
import type { GlobalFlags } from "../src/internal/globalFlags.js"
import { Providers } from "../src/internal/Providers.js"

const flags: GlobalFlags = {
  profile: Option.none(),
  apiEndpoint: Option.none(),
  mock: false,
  mockReady: Option.none(),
  transport: "http",
  verbose: false
}

/** Providers as a mock ready file describes them; a source is never needed by these tests. */
const TestProviders = Layer.succeed(
  Providers,
  Providers.of({
    flags,
    source: () => Effect.die("no source in these tests"),
    credentials: () => Effect.die("no credentials in these tests"),
    endpointOverride: () => undefined,
    mock: Option.some({
      tencent: {
        endpoint: "http://127.0.0.1:1",
        secretId: "AKIDtest",
        secretKey: "secret-test",
        clusters: [{ region: "ap-shanghai", clusterId: "cls-abcdefgh" }]
      },
      alibaba: { endpoint: "http://127.0.0.1:1", accessKeyId: "LTAItest", accessKeySecret: "secret-test", clusters: [] }
    }),
    mockReadyPath: Option.none(),
    identity: () => ({ apiEndpoint: "default", identity: "AKIDtest", sources: [] })
  })
)

describe("validation before anything is sent", () => {
  it.effect("cluster ids are checked per provider", () =>
    Effect.gen(function* () {
      expect(yield* validateClusterId("tencent", "cls-abcdefgh")).toBe("cls-abcdefgh")
      const error = yield* Effect.flip(validateClusterId("alibaba", "cls-abcdefgh"))
      expect(error._tag).toBe("InvalidInput")
      expect(renderFailure(error).code).toBe(2)
    })
  )

  it.effect("--ttl is decoded when the line is parsed (15m to 3d), and is ACK only", () =>
    Effect.gen(function* () {
      const parse = (args: ReadonlyArray<string>) =>
        Options.processCommandLine(ttlOption, args, CliConfig.defaultConfig).pipe(Effect.map(([, , value]) => value))
      expect(yield* parse(["--ttl", "1h30m"])).toEqual(Option.some(90))
      expect(yield* parse([])).toEqual(Option.none())
      const tooShort = yield* Effect.flip(parse(["--ttl", "10m"]))
      expect(HelpDoc.toAnsiText(tooShort.error)).toContain("15 to 4320")
      expect(yield* validateTtl("alibaba", Option.some(90))).toBe(90)
      expect(yield* validateTtl("alibaba", Option.none())).toBeUndefined()
      expect((yield* Effect.flip(validateTtl("tencent", Option.some(60)))).message).toContain("ACK only")
    }).pipe(Effect.provide(NodeContext.layer))
  )

  it.effect("--region is checked against the region shape when the line is parsed", () =>
    Effect.gen(function* () {
      const parse = (args: ReadonlyArray<string>) =>
        Options.processCommandLine(regionOption, args, CliConfig.defaultConfig).pipe(Effect.map(([, , value]) => value))
      expect(yield* parse(["--region", "ap-guangzhou"])).toEqual(Option.some("ap-guangzhou"))
      const bad = yield* Effect.flip(parse(["--region", "AP_GUANGZHOU"]))
      expect(HelpDoc.toAnsiText(bad.error)).toContain("invalid region")
    }).pipe(Effect.provide(NodeContext.layer))
  )

  it.effect("sync filters are name=, id= or region= globs", () =>
    Effect.gen(function* () {
      const [filter] = yield* parseFilters(["name=prod-*"])
      expect(filter!.pattern.test("prod-web-1")).toBe(true)
      expect((yield* Effect.flip(parseFilters(["tag=x"])))._tag).toBe("InvalidInput")
    })
  )

  it.effect("the region: --region, else the mock's region of that cluster", () =>
    Effect.gen(function* () {
      expect(yield* resolveRegion("tencent", Option.some("ap-guangzhou"))).toBe("ap-guangzhou")
      expect(yield* resolveRegion("tencent", Option.none(), "cls-abcdefgh")).toBe("ap-shanghai")
      const bad = yield* Effect.flip(resolveRegion("tencent", Option.some("AP_GUANGZHOU")))
      expect(bad.message).toContain("invalid region")
    }).pipe(Effect.provide(TestProviders))
  )

  it.effect("a request is decoded with the endpoint kind and, for ACK, the lifetime", () =>
    Effect.gen(function* () {
      const tke = yield* buildRequest("tencent", "cls-abcdefgh", {
        region: Option.none(),
        private: true,
        ttl: Option.none()
      })
      expect(tke).toMatchObject({ _tag: "tencent", region: "ap-shanghai", endpoint: "private" })
      const ack = yield* buildRequest(
        "alibaba",
        "c5b5e80b0b64a4bf6939d2d8fbbc5ab12",
        { region: Option.some("cn-hangzhou"), private: false, ttl: Option.none() },
        180
      )
      expect(ack).toMatchObject({ _tag: "alibaba", endpoint: "public", temporaryDurationMinutes: 180 })
    }).pipe(Effect.provide(TestProviders))
  )
})
