/**
 * TKE `DescribeRegions` (Region not required; the request is `{}`): every region TKE serves, as the SDK's
 * `RegionInstance` names them (`RegionName` is the region id, e.g. `ap-guangzhou`). A region listed here may
 * still be refused to an account (finance regions answer `UnsupportedRegion`): callers decide what that means.
 * Wire contract: docs/tke-regions-and-endpoints.md.
 */
import * as Schema from "effect/Schema"

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
/** The region names of an answer, well-formed ones only, each once. */
export const regionNames = (body: typeof DescribeRegionsResponse.Type): ReadonlyArray<string> => [
  ...new Set(
    (body.RegionInstanceSet ?? [])
      .map((r) => r.RegionName ?? "")
      .filter((name) => /^[a-z]{2,4}(?:-[a-z0-9]+){1,4}$/.test(name))
  )
]
