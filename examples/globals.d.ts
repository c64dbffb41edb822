// Under `npx imgtest`, test and expect are globals.
/// <reference types="vitest/globals" />
