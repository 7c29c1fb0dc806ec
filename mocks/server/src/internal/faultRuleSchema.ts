import { Schema } from "effect"

const opt = <S extends Schema.Schema.All>(schema: S) => Schema.optionalWith(schema, { exact: true })

const Share = Schema.Number.pipe(Schema.between(0, 1))
const NonNegative = Schema.Number.pipe(Schema.nonNegative())

/** The FaultRule interface as a schema, for the control endpoint and the bin. */
export const FaultRuleSchema = Schema.Struct({
  provider: Schema.Literal("tencent", "alibaba"),
  action: opt(Schema.String),
  rate: opt(Share),
  latencyMs: opt(NonNegative),
  error: opt(
    Schema.Struct({
      code: Schema.String,
      status: opt(Schema.Int.pipe(Schema.between(100, 599))),
      message: opt(Schema.String),
      retryAfterMs: opt(NonNegative)
    })
  ),
  httpStatus: opt(Schema.Int.pipe(Schema.between(100, 599))),
  reset: opt(Schema.Boolean),
  truncate: opt(Schema.Boolean),
  nonJson: opt(Schema.Boolean),
  emptyBody: opt(Schema.Boolean),
  wrongShape: opt(Schema.Boolean),
  hang: opt(Schema.Boolean),
  count: opt(Schema.Int.pipe(Schema.nonNegative()))
})

export const FaultRules = Schema.Array(FaultRuleSchema)
