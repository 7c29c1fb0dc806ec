import { defineConfig } from "vitest/config"

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The throughput and chaos files measure pacing against the mock's calendar-second windows: one file at a
    // time, so they do not compete with each other for the CPU.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000
  }
})
