/** The credential-chain kit: order, the places searched, the readers, the profile check, the cache. */
import { describe, expect, it } from "@effect/vitest"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Fiber from "effect/Fiber"
import * as Option from "effect/Option"
import * as TestClock from "effect/TestClock"
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as Chain from "../src/CredentialChain.js"
import { AccessDenied } from "../src/KubecredError.js"
import { RetryPolicy, defaultRetryPolicy } from "../src/Policy.js"

describe("CredentialChain.parseIni (moved from both chains' tests)", () => {
  it("reads sections, keys and comments", () => {
    const parsed = Either.getOrThrow(Chain.parseIni("; c\n# c\n[default]\n a = 1 \n[x]\nb=2=3\n"))
    expect(Object.fromEntries([...parsed].map(([k, v]) => [k, Object.fromEntries(v)]))).toEqual({
      default: { a: "1" },
      x: { b: "2=3" }
    })
    expect(Either.isLeft(Chain.parseIni("[default]\nnonsense\n"))).toBe(true)
  })

  it("a key outside any section is refused; values keep inner `=`", () => {
    expect(Chain.parseIni("x = 1")).toEqual(Either.left("line 1 has a key outside any [section]"))
    const ok = Either.getOrThrow(Chain.parseIni("[a]\n k = v = w \n# c\n"))
    expect(ok.get("a")?.get("k")).toBe("v = w")
  })
})

describe("CredentialChain.first", () => {
  const found = (value: string): Chain.Step<{ readonly value: string }> =>
    Chain.at(`place ${value}`, Effect.succeed(Option.some({ value })))
  const nothing = (place: string): Chain.Step<{ readonly value: string }> =>
    Chain.at(place, Effect.succeed(Option.none()))

  it.effect("the first step that answers wins; later steps never run", () =>
    Effect.gen(function* () {
      let ran = false
      const later: Chain.Step<{ readonly value: string }> = () =>
        Effect.sync(() => {
          ran = true
          return Option.none()
        })
      expect(yield* Chain.first("tencent", [nothing("a"), found("b"), later])).toEqual({ value: "b" })
      expect(ran).toBe(false)
    })
  )

  it.effect("nothing found names every place, in order; a failing step stops the chain with its reason", () =>
    Effect.gen(function* () {
      const none = yield* Effect.flip(Chain.first("alibaba", [nothing("a"), nothing("b")], "profile x not found"))
      expect(none).toMatchObject({ _tag: "CredentialsMissing", searched: ["a", "b"], detail: "profile x not found" })
      const failing = yield* Effect.flip(
        Chain.first("alibaba", [nothing("a"), Chain.at("b", Effect.fail("b is broken")), found("c")])
      )
      expect(failing).toMatchObject({ searched: ["a", "b"], detail: "b is broken" })
    })
  )

  it("half a key pair is a reason naming what is set", () => {
    expect(Chain.keyPair("env", { id: "ID", secret: "SECRET" }, undefined, "s")).toEqual(
      Either.left("env: SECRET is set but ID is not")
    )
    expect(Chain.keyPair("env", { id: "ID", secret: "SECRET" }, undefined, undefined)).toEqual(
      Either.right(Option.none())
    )
  })
})

describe("CredentialChain readers", () => {
  const dir = mkdtempSync(join(tmpdir(), "kubecred-chain-"))

  it.effect("a missing file is none, a broken one a reason naming it", () =>
    Effect.gen(function* () {
      expect(yield* Chain.readJsonObject(join(dir, "absent.json"))).toEqual(Option.none())
      writeFileSync(join(dir, "bad.json"), "{ not json")
      expect(yield* Effect.flip(Chain.readJsonObject(join(dir, "bad.json")))).toContain("bad.json is not valid JSON")
      writeFileSync(join(dir, "list.json"), "[1]")
      expect(yield* Effect.flip(Chain.readJsonObject(join(dir, "list.json")))).toContain("is not a JSON object")
      writeFileSync(join(dir, "bad.ini"), "k = v\n")
      expect(yield* Effect.flip(Chain.readIni(join(dir, "bad.ini")))).toContain("bad.ini cannot be parsed: line 1")
      expect(yield* Effect.flip(Chain.readOptional(dir))).toContain("cannot read")
    })
  )
})

describe("CredentialChain.checkProfile", () => {
  it("a profile is a name, never a path", () => {
    for (const good of ["default", "ci", "prod-1", "team.ops", "me@corp"]) {
      expect(Chain.checkProfile(good)).toEqual(Either.right(good))
    }
    for (const bad of ["../../x", "a/b", "..", ".hidden", "a\\b", "a\u0000b", ""]) {
      const refused = Chain.checkProfile(bad)
      expect(Either.isLeft(refused) && refused.left).toMatchObject({ _tag: "InvalidInput", field: "profile" })
    }
  })
})

describe("CredentialChain.cached", () => {
  it.effect("keeps a success until five minutes before expiry; never keeps a failure", () =>
    Effect.gen(function* () {
      let calls = 0
      let fail = true
      const resolve = Effect.suspend(() => {
        calls++
        return fail ? Effect.fail("nothing yet") : Effect.succeed({ expiresAt: new Date(Date.UTC(1970, 0, 1, 0, 10)) })
      })
      const get = yield* Chain.cached(resolve)
      expect(yield* Effect.flip(get)).toBe("nothing yet")
      fail = false
      yield* get
      yield* get
      expect(calls).toBe(2)
      yield* TestClock.adjust(Duration.minutes(6))
      yield* get
      expect(calls).toBe(3)
    })
  )
})

describe("CredentialChain: STS steps", () => {
  const refused = new AccessDenied({
    provider: "tencent",
    action: "AssumeRoleWithWebIdentity",
    code: "UnauthorizedOperation",
    detail: "TKE_ROLE_ARN: the role does not trust this provider"
  })

  it.effect("a step's STS refusal passes through first unchanged; a reason is CredentialsMissing", () =>
    Effect.gen(function* () {
      const sts: Chain.Step<string> = Chain.at("pod identity", Effect.fail(refused))
      const passed = yield* Effect.flip(Chain.first("tencent", [sts]))
      expect(passed).toBe(refused)
      const reason = yield* Effect.flip(Chain.first("tencent", [Chain.at("pod identity", Effect.fail("no token"))]))
      expect(reason._tag).toBe("CredentialsMissing")
      expect(reason.message).toContain("no token")
    })
  )

  it.effect("exchange: the base's answer is exchanged; its reasons name the place, refusals pass through", () =>
    Effect.gen(function* () {
      const base = Effect.succeed("base")
      expect(yield* Chain.exchange("alibaba", base, "role r", (c) => Effect.succeed(`${c}+role`))).toBe("base+role")
      const why = yield* Effect.flip(Chain.exchange("alibaba", base, "role r (--role-arn)", () => Effect.fail("down")))
      expect(why._tag === "CredentialsMissing" && why.searched).toEqual(["role r (--role-arn)"])
      expect(yield* Effect.flip(Chain.exchange("alibaba", base, "role r", () => Effect.fail(refused)))).toBe(refused)
    })
  )

  it.effect("readToken reads the file each time, trimmed; missing or empty names the variable, not the content", () =>
    Effect.gen(function* () {
      const path = join(mkdtempSync(join(tmpdir(), "kubecred-token-")), "token")
      writeFileSync(path, "first\n")
      expect(yield* Chain.readToken("TOKEN_FILE", path)).toBe("first")
      writeFileSync(path, "second")
      expect(yield* Chain.readToken("TOKEN_FILE", path)).toBe("second")
      writeFileSync(path, "  \n")
      expect(yield* Effect.flip(Chain.readToken("TOKEN_FILE", path))).toBe(
        `TOKEN_FILE points at ${path}, which is empty`
      )
      expect(yield* Effect.flip(Chain.readToken("TOKEN_FILE", `${path}.nope`))).toBe(
        `TOKEN_FILE points at ${path}.nope, which does not exist`
      )
    })
  )

  it.effect("sessionName: the caller's, else kubecred-<epoch ms> from the Clock", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(1_700_000_000_000)
      expect(yield* Chain.sessionName(undefined, "kubecred")).toBe("kubecred-1700000000000")
      expect(yield* Chain.sessionName(" ci-7 ", "kubecred")).toBe("ci-7")
    })
  )
})

describe("CredentialChain.retryTransient", () => {
  const call = { step: "--role-arn", action: "AssumeRole" }
  const policy = {
    ...defaultRetryPolicy,
    baseDelay: Duration.millis(100),
    maxRetries: 3,
    deadline: Duration.seconds(30)
  }

  it.effect("a Transient failure is tried again after the policy's backoff, at most maxRetries more times", () =>
    Effect.gen(function* () {
      let tries = 0
      const flaky = Chain.retryTransient("https://sts.example.com", call, (url, where) =>
        Effect.suspend(() => {
          expect(url.host).toBe("sts.example.com")
          return ++tries < 3 ? Effect.fail(new Chain.Transient(`${where}: ECONNRESET`)) : Effect.succeed("session")
        })
      )
      const fiber = yield* Effect.fork(flaky)
      yield* TestClock.adjust("50 millis")
      expect(tries).toBe(1) // waiting for the first backoff (about 100 ms, jittered)
      yield* TestClock.adjust("2 seconds")
      expect(yield* Fiber.join(fiber)).toBe("session")
      expect(tries).toBe(3)

      tries = 0
      const down = Chain.retryTransient("https://sts.example.com", call, (_, where) =>
        Effect.suspend(() => Effect.fail(new Chain.Transient(`${where}: HTTP ${500 + ++tries}`)))
      )
      const gaveUp = yield* Effect.fork(Effect.flip(down))
      yield* TestClock.adjust("1 minute")
      expect(yield* Fiber.join(gaveUp)).toBe("--role-arn: STS AssumeRole at sts.example.com: HTTP 504")
      expect(tries).toBe(4)
    }).pipe(Effect.provideService(RetryPolicy, policy))
  )

  it.effect("a refusal is never tried again; the deadline ends a call that keeps failing", () =>
    Effect.gen(function* () {
      let tries = 0
      const refusal = new AccessDenied({
        provider: "tencent",
        action: "AssumeRole",
        code: "UnauthorizedOperation",
        detail: "--role-arn: the role does not trust these keys"
      })
      const refused = yield* Effect.flip(
        Chain.retryTransient("https://sts.example.com", call, () =>
          Effect.suspend(() => {
            tries++
            return Effect.fail(refusal)
          })
        )
      )
      expect(refused).toBe(refusal)
      expect(tries).toBe(1)

      const slow = Chain.retryTransient("https://sts.example.com", call, (_, where) =>
        Effect.fail(new Chain.Transient(`${where}: no answer within 20000 ms`)).pipe(Effect.delay("4 seconds"))
      )
      const fiber = yield* Effect.fork(Effect.flip(slow))
      yield* TestClock.adjust("2 minutes")
      expect(yield* Fiber.join(fiber)).toBe(
        "--role-arn: STS AssumeRole at sts.example.com: no usable answer within 10s"
      )
    }).pipe(
      Effect.provideService(RetryPolicy, {
        ...policy,
        maxRetries: 100,
        maxDelay: Duration.seconds(1),
        deadline: Duration.seconds(10)
      })
    )
  )
})
