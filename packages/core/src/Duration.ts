/**
 * The lifetime of a temporary ACK kubeconfig (TemporaryDurationMinutes: 15 to 4320 minutes) and the
 * human duration syntax (`90m`, `2h`, `3d`, `1h30m`) the CLI accepts for it.
 */
import * as Either from "effect/Either"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"

export const MIN_TEMPORARY_MINUTES = 15
export const MAX_TEMPORARY_MINUTES = 4320

export const TemporaryDurationMinutes = Schema.Int.pipe(
  Schema.between(MIN_TEMPORARY_MINUTES, MAX_TEMPORARY_MINUTES, {
    message: (issue) =>
      `invalid temporary duration ${String(issue.actual)} minutes: ACK accepts 15 to 4320 minutes (15m to 3d)`
  }),
  Schema.brand("TemporaryDurationMinutes")
).annotations({ identifier: "TemporaryDurationMinutes" })
export type TemporaryDurationMinutes = typeof TemporaryDurationMinutes.Type

const unitMinutes: Record<string, number> = { m: 1, h: 60, d: 1440 }

/** Parses `45`, `45m`, `2h`, `1h30m`, `3d` into whole minutes. */
export const parseMinutes = (text: string): Either.Either<number, string> => {
  const trimmed = text.trim()
  if (/^\d+$/.test(trimmed)) return Either.right(Number(trimmed))
  const parts = [...trimmed.matchAll(/(\d+)([mhd])/g)]
  if (parts.length === 0 || parts.map((p) => p[0]).join("") !== trimmed) {
    return Either.left(
      `invalid duration ${JSON.stringify(text)}: use minutes, hours or days such as 90m, 2h, 1h30m, 3d`
    )
  }
  return Either.right(parts.reduce((sum, [, n, unit]) => sum + Number(n) * unitMinutes[unit!]!, 0))
}

/** A duration string decoded to minutes (any positive length). */
export const DurationMinutesFromString = Schema.transformOrFail(Schema.String, Schema.Int, {
  strict: true,
  decode: (text, _, ast) =>
    Either.match(parseMinutes(text), {
      onLeft: (message) => ParseResult.fail(new ParseResult.Type(ast, text, message)),
      onRight: (minutes) => ParseResult.succeed(minutes)
    }),
  encode: (minutes) => ParseResult.succeed(`${minutes}m`)
})

/** A duration string decoded to a valid ACK temporary duration. */
export const TemporaryDurationFromString = Schema.compose(DurationMinutesFromString, TemporaryDurationMinutes)
