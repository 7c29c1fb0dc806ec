/**
 * The one `-o` convention, as kubectl has it: `-o json|yaml|name` on every command that prints data, plus
 * `table` (the default) and `wide` where there is a table, and `--no-headers` for tables. `name` prints one
 * identifier per line (a context name, `tencent/cls-...`), for scripts.
 */
import * as Options from "@effect/cli/Options"
import * as Console from "effect/Console"
import type * as Effect from "effect/Effect"
import { stringify } from "yaml"
import { printable, safeJson } from "./output.js"

export type Format = "table" | "wide" | "json" | "yaml" | "name"

/** `-o, --output FORMAT` with a default (commands with a table). */
export const outputOption = <const F extends Format>(formats: ReadonlyArray<F>, byDefault: F) =>
  Options.choice("output", formats).pipe(Options.withAlias("o"), Options.withDefault(byDefault))

/** `-o, --output FORMAT` without a default: the command's line for people unless asked. */
export const optionalOutputOption = <const F extends Format>(formats: ReadonlyArray<F>) =>
  Options.choice("output", formats).pipe(Options.withAlias("o"), Options.optional)

export const noHeadersOption = Options.boolean("no-headers")

/** Prints `data` as JSON or YAML, or `names` one per line. */
export const printData = (
  format: "json" | "yaml" | "name",
  data: unknown,
  names: () => ReadonlyArray<string>
): Effect.Effect<void> => {
  switch (format) {
    case "json":
      return Console.log(safeJson(data))
    case "yaml":
      // yaml escapes C0 controls but leaves C1 and bidi characters raw: text from outside is escaped first
      return Console.log(stringify(printableStrings(data), { lineWidth: 0 }).trimEnd())
    case "name":
      return Console.log(names().map(printable).join("\n"))
  }
}

/** Every string in the data with its control characters shown as escapes (see output.ts `printable`). */
const printableStrings = (data: unknown): unknown =>
  typeof data === "string"
    ? printable(data)
    : Array.isArray(data)
      ? data.map(printableStrings)
      : data !== null && typeof data === "object" && !(data instanceof Date)
        ? Object.fromEntries(Object.entries(data).map(([key, value]) => [key, printableStrings(value)]))
        : data
