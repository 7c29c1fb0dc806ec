/**
 * TKE `DescribeRegions` (Region not required; the request is `{}`): every region TKE serves, as the SDK's
 * `RegionInstance` names them (`RegionName` is the region id, e.g. `ap-guangzhou`). A region listed here may
 * still be refused to an account (finance regions answer `UnsupportedRegion`): callers decide what that means.
 * Wire contract: docs/tke-regions-and-endpoints.md.
 */
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import type { Call, Decode } from "./action.js"
import type { CallContext } from "./errorMapping.js"

export const ACTION = "DescribeRegions"

/** The region sent with the call: any region routes it; the caller's default when it has one. */
export const ANY_REGION = "ap-guangzhou"

export const DescribeRegionsResponse = Schema.Struct({
  TotalCount: Schema.optional(Schema.NullOr(Schema.Number)),
  RegionInstanceSet: Schema.optional(
    Schema.NullOr(Schema.Array(Schema.Struct({ RegionName: Schema.optional(Schema.NullOr(Schema.String)) })))
  ),
  RequestId: Schema.optional(Schema.String)
})

/** The region ids, in the API's order, each once. */
export const describeRegions = (call: Call, decode: Decode, region: string) => {
  const context: CallContext = { action: ACTION }
  return call(ACTION, region, {}, context).pipe(
    Effect.flatMap(({ value }) => decode(DescribeRegionsResponse, context)(value)),
    Effect.map((body) => [
      ...new Set(
        (body.RegionInstanceSet ?? [])
          .map((r) => r.RegionName ?? "")
          .filter((name) => /^[a-z]{2,4}(?:-[a-z0-9]+){1,4}$/.test(name))
      )
    ])
  )
}
