/**
 * Cloud regions, e.g. `ap-guangzhou`, `na-siliconvalley` (TKE) or `cn-hangzhou`, `ap-southeast-1`,
 * `cn-shanghai-finance-1` (ACK). Only the shape is checked: both clouds add regions over time.
 */
import * as Schema from "effect/Schema"

export const Region = Schema.String.pipe(
  Schema.pattern(/^[a-z]{2,4}(?:-[a-z0-9]+){1,4}$/, {
    message: (issue) =>
      `invalid region ${JSON.stringify(issue.actual)}: expected a region id such as ap-guangzhou or cn-hangzhou`
  }),
  Schema.maxLength(40),
  Schema.brand("Region")
).annotations({ identifier: "Region" })
export type Region = typeof Region.Type
