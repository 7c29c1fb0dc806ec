import { defineConfig } from "vitest/config"

// Editor/IDE entry point: `npx vitest` at the root runs every package's own config as a project.
// CI runs each package through turbo (`pnpm run ci`).
export default defineConfig({
  test: {
    projects: ["packages/*", "apps/*", "mocks/server"]
  }
})
