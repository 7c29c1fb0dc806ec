/**
 * Progress for bulk work: a cli-progress bar on stderr when it is a TTY (cli-progress is loaded only then),
 * else plain lines on stdout (stderr stays for errors: one line each).
 */
import { colorEnabled } from "./output.js"

export interface Progress {
  readonly tick: (label: string, outcome: "ok" | "failed" | "skipped") => void
  readonly stop: () => void
}

/** With `quiet` (stdout carries JSON), nothing is printed. */
export const makeProgress = async (total: number, title: string, quiet = false): Promise<Progress> => {
  if (quiet) return { tick: () => {}, stop: () => {} }
  const stream = process.stderr
  if (stream.isTTY === true && total > 0) {
    const { default: cliProgress } = await import("cli-progress")
    const bar = new cliProgress.SingleBar(
      {
        stream,
        format: `${title} {bar} {value}/{total} {label}`,
        hideCursor: true,
        clearOnComplete: true,
        barsize: 30,
        noTTYOutput: false
      },
      colorEnabled(stream) ? cliProgress.Presets.shades_classic : cliProgress.Presets.legacy
    )
    bar.start(total, 0, { label: "" })
    return {
      tick: (label) => bar.increment(1, { label }),
      stop: () => bar.stop()
    }
  }
  let done = 0
  return {
    tick: (label, outcome) => {
      done++
      process.stdout.write(`${title} [${done}/${total}] ${outcome === "ok" ? "fetched" : outcome} ${label}\n`)
    },
    stop: () => {}
  }
}
