/**
 * Reading only what kubectl can read, and only regular files. A path is opened (following symlinks) with
 * O_NONBLOCK, then fstat decides: a FIFO, a device, a socket or a directory is refused at once, never read (a
 * FIFO would block, /dev/zero never ends). Sizes are bounded. A kubeconfig must be UTF-8 holding only the
 * characters YAML allows (go-yaml, hence kubectl, refuses control characters); a leading BOM is taken off for
 * parsing and put back on write.
 */
import { KubeconfigUnreadable } from "@kubecred/core/KubecredError"
import * as Effect from "effect/Effect"
import * as fs from "node:fs"

/** The largest kubeconfig kubecred reads: 64 MiB (a 5,000-context file as kubectl writes it is about 29 MB). */
export const MAX_KUBECONFIG_BYTES = 64 * 1024 * 1024

const errnoOf = (error: unknown): string | undefined => (error as NodeJS.ErrnoException | undefined)?.code

/** What a non-regular file is, in words. */
export const kindOf = (stat: fs.Stats): string =>
  stat.isFIFO()
    ? "a FIFO"
    : stat.isCharacterDevice()
      ? "a character device"
      : stat.isBlockDevice()
        ? "a block device"
        : stat.isSocket()
          ? "a socket"
          : stat.isDirectory()
            ? "a directory"
            : "not a regular file"

export class NotReadable extends Error {}

/**
 * The bytes of a regular file of at most `max` bytes; undefined when it does not exist. Throws NotReadable
 * (a message without the content) for anything else.
 */
export const readRegular = (file: string, max: number): Buffer | undefined => {
  let fd: number
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK | fs.constants.O_NOCTTY)
  } catch (error) {
    const code = errnoOf(error)
    if (code === "ENOENT") return undefined
    if (code === "ENXIO") throw new NotReadable("is a socket, not a regular file")
    throw new NotReadable((error as Error).message)
  }
  try {
    const stat = fs.fstatSync(fd)
    if (!stat.isFile()) throw new NotReadable(`is ${kindOf(stat)}, not a regular file`)
    if (stat.size > max) throw new NotReadable(`is ${stat.size} bytes, over the limit of ${max} bytes`)
    const buffer = Buffer.alloc(Math.min(stat.size, max) + 1)
    let length = 0
    while (length < buffer.length) {
      const read = fs.readSync(fd, buffer, length, buffer.length - length, null)
      if (read === 0) break
      length += read
    }
    if (length > max) throw new NotReadable(`grew over the limit of ${max} bytes while being read`)
    return buffer.subarray(0, length)
  } finally {
    fs.closeSync(fd)
  }
}

/** Refuses a path that exists (after following symlinks) and is not a regular file; nothing is opened. */
export const irregularKind = (file: string): string | undefined => {
  try {
    const stat = fs.statSync(file)
    return stat.isFile() ? undefined : kindOf(stat)
  } catch {
    return undefined
  }
}

export interface FileText {
  /** The text, without a leading BOM. */
  readonly text: string
  readonly bom: boolean
}

const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true })
/** Outside YAML's printable set (C0 but tab, LF, CR; DEL; C1 but NEL; U+FFFE, U+FFFF). */
const FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u0084\u0086-\u009f\ufffe\uffff]/

/** Where `index` (a string index) is, as 1-based line and column. */
const position = (text: string, index: number) => {
  const before = text.slice(0, index)
  const line = before.split("\n").length
  return { line, column: index - before.lastIndexOf("\n") }
}

/** A kubeconfig's text ("" when the file does not exist), or why kubecred will not read it. */
export const readKubeconfig = (file: string): Effect.Effect<FileText, KubeconfigUnreadable> =>
  Effect.suspend(() => {
    let bytes: Buffer | undefined
    try {
      bytes = readRegular(file, MAX_KUBECONFIG_BYTES)
    } catch (error) {
      return Effect.fail(new KubeconfigUnreadable({ path: file, detail: (error as Error).message }))
    }
    if (bytes === undefined) return Effect.succeed({ text: "", bom: false })
    const bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf
    let text: string
    try {
      text = decoder.decode(bom ? bytes.subarray(3) : bytes)
    } catch {
      const valid = bytes.toString("utf8").indexOf("\ufffd")
      const at = position(bytes.toString("utf8"), Math.max(0, valid))
      return Effect.fail(
        new KubeconfigUnreadable({ path: file, detail: "not valid UTF-8 (kubectl reads only UTF-8)", ...at })
      )
    }
    const forbidden = FORBIDDEN.exec(text)
    if (forbidden !== null) {
      return Effect.fail(
        new KubeconfigUnreadable({
          path: file,
          detail: `a control character (U+${forbidden[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}) that YAML does not allow`,
          ...position(text, forbidden.index)
        })
      )
    }
    return Effect.succeed({ text, bom })
  })
