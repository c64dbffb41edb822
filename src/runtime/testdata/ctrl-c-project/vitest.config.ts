import { defineConfig } from 'vitest/config'

// The project cleanup.test.ts interrupts with SIGINT, as Ctrl-C in a terminal does.
export default defineConfig({ test: { include: ['*.run.ts'] } })
