/**
 * Terminal output: colour only on a TTY and never with NO_COLOR, plain aligned tables, durations as people
 * read them.
 */

export interface Stream {
  readonly isTTY?: boolean | undefined
}

/** https://no-color.org: any non-empty NO_COLOR disables colour; FORCE_COLOR=1 forces it (tests). */
export const colorEnabled = (stream: Stream = process.stdout, env: NodeJS.ProcessEnv = process.env): boolean => {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== "" && env.FORCE_COLOR !== "0") return true
  return stream.isTTY === true && env.TERM !== "dumb"
}

export type Tone = "red" | "yellow" | "green" | "dim" | "bold"

const codes: Record<Tone, readonly [number, number]> = {
  red: [31, 39],
  yellow: [33, 39],
  green: [32, 39],
  dim: [2, 22],
  bold: [1, 22]
}

export const paint = (enabled: boolean, tone: Tone, text: string): string =>
  enabled ? `\u001b[${codes[tone][0]}m${text}\u001b[${codes[tone][1]}m` : text

/** C0 and C1 controls (ESC, CSI, OSC's BEL, CR, LF, ...) and the bidirectional overrides. */
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g

/**
 * Text from outside (cluster names, file names, a provider's strings) made safe for a terminal: every control
 * character is shown as an escape (`\u001b`), so nothing can move the cursor, set a title or rewrite a line.
 */
export const printable = (text: string): string =>
  text.replace(UNPRINTABLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`)

/** JSON with the controls JSON.stringify leaves raw (C1, DEL, bidi overrides) escaped too; still valid JSON. */
export const safeJson = (value: unknown): string =>
  JSON.stringify(value, null, 2).replace(
    /[\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`
  )

const ansi = /\u001b\[[0-9;]*m/g
const visible = (text: string) => text.replace(ansi, "").length

/** A left-aligned table with a header row (unless `headers: false`), columns apart, like kubectl's. */
export const table = (
  header: ReadonlyArray<string>,
  rows: ReadonlyArray<ReadonlyArray<string>>,
  options: { readonly headers?: boolean } = {}
): string => {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => visible(r[i] ?? ""))))
  const line = (cells: ReadonlyArray<string>) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell + " ".repeat(widths[i]! - visible(cell))))
      .join("   ")
      .trimEnd()
  return [...(options.headers === false ? [] : [line(header)]), ...rows.map(line)].join("\n")
}

/** `3y120d`, `12d4h`, `5h12m`, `42m`, `30s`, or `expired 2h ago`. */
export const formatRemaining = (millis: number): string => {
  if (millis <= 0) return `expired ${formatSpan(-millis)} ago`
  return formatSpan(millis)
}

export const formatSpan = (millis: number): string => {
  const minutes = Math.floor(millis / 60_000)
  if (minutes < 1) return `${Math.max(0, Math.floor(millis / 1000))}s`
  const days = Math.floor(minutes / 1440)
  const hours = Math.floor((minutes % 1440) / 60)
  const mins = minutes % 60
  if (days >= 365) return `${Math.floor(days / 365)}y${days % 365}d`
  if (days > 0) return `${days}d${hours}h`
  if (hours > 0) return `${hours}h${mins}m`
  return `${mins}m`
}

/** How urgent a remaining lifetime is: expired or under a day is red, under a week yellow. */
export const urgency = (millis: number | undefined): Tone | undefined => {
  if (millis === undefined) return undefined
  if (millis < 86_400_000) return "red"
  if (millis < 7 * 86_400_000) return "yellow"
  return undefined
}

/** Simple glob: `*` any run, `?` one character; the whole name must match. */
export const globToRegExp = (glob: string): RegExp =>
  new RegExp(
    `^${glob
      .split("")
      .map((c) => (c === "*" ? ".*" : c === "?" ? "." : c.replace(/[.+^${}()|[\]\\]/g, "\\$&")))
      .join("")}$`
  )
