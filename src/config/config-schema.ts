import { policySchema } from '../compare/policy-schema.ts'

const { $schema: _draft, title: _title, definitions, ...policyBody } = policySchema

/** JSON Schema of `imgtest.config.*`: unknown keys are errors, so a misspelt option is never ignored. */
export const configSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'imgtest config',
  description: "a config object such as { policy: { allow: [{ check: 'interface.user' }] } }",
  type: 'object',
  additionalProperties: false,
  properties: {
    policy: policyBody,
    include: {
      type: 'array',
      description: "test file globs such as ['**/*.parity.test.ts']",
      items: { type: 'string', minLength: 1, description: 'a glob' },
    },
    testTimeout: { type: 'integer', minimum: 1, description: 'milliseconds for one test or hook' },
  },
  definitions,
} as const
