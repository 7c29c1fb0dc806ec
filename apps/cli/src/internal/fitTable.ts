/**
 * A table that fits a terminal width (status's default 120 columns): optional columns are dropped in the order
 * given until every line fits, then one column's cells are shortened with `…`. Columns never dropped (names a
 * user copies) are never shortened either.
 */
import { table } from "./output.js"

export interface Column {
  readonly header: string
  /** Lower is dropped first; undefined is never dropped. */
  readonly dropOrder?: number
  /** Its cells may be shortened (to no less than `min` characters) once nothing else can be dropped. */
  readonly shrinkTo?: number
}

const ansi = /\u001b\[[0-9;]*m/g
const width = (text: string) => Math.max(0, ...text.split("\n").map((line) => line.replace(ansi, "").length))

const shorten = (cell: string, max: number) =>
  cell.replace(ansi, "").length <= max ? cell : `${cell.replace(ansi, "").slice(0, Math.max(1, max - 1))}…`

export const fitTable = (
  columns: ReadonlyArray<Column>,
  rows: ReadonlyArray<ReadonlyArray<string>>,
  max: number
): string => {
  let keep = columns.map((_, i) => i)
  const render = (cells: (row: ReadonlyArray<string>, i: number) => string) =>
    table(
      keep.map((i) => columns[i]!.header),
      rows.map((row) => keep.map((i) => cells(row, i)))
    )
  let out = render((row, i) => row[i] ?? "")
  const droppable = columns
    .map((column, i) => ({ i, order: column.dropOrder }))
    .filter((c): c is { i: number; order: number } => c.order !== undefined)
    .sort((a, b) => a.order - b.order)
  for (const { i } of droppable) {
    if (width(out) <= max) return out
    keep = keep.filter((k) => k !== i)
    out = render((row, k) => row[k] ?? "")
  }
  const limits = new Map<number, number>()
  for (const i of keep.filter((k) => columns[k]!.shrinkTo !== undefined)) {
    const over = width(out) - max
    if (over <= 0) return out
    const widest = Math.max(columns[i]!.header.length, ...rows.map((row) => (row[i] ?? "").replace(ansi, "").length))
    limits.set(i, Math.max(columns[i]!.shrinkTo!, widest - over))
    out = render((row, k) => {
      const limit = limits.get(k)
      return limit === undefined ? (row[k] ?? "") : shorten(row[k] ?? "", limit)
    })
  }
  return out
}
