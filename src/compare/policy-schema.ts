/**
 * JSON Schema (draft-07) of a policy file: what `loadPolicyFile` and `validatePolicy` accept, and
 * what an editor can use for completion (`"$schema"` in a JSON file, a yaml-language-server comment
 * in a YAML one). The descriptions double as the "expected" part of error messages.
 *
 * Room to grow: a rule selects findings by fields that must all match (today `check`, `key`, `suite`), so
 * later issues add selectors to a rule, or new top-level sections (options of the filesystem
 * checks, say), without changing what an existing file means. Unknown keys stay errors, so a
 * misspelt key is caught, never silently ignored.
 */
export const policySchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'imgtest policy',
  description: "a policy object such as { allow: [{ check: 'interface.user' }] }",
  type: 'object',
  additionalProperties: false,
  properties: {
    $schema: { type: 'string', description: 'the URL or path of this schema, for editors' },
    allow: {
      type: 'array',
      description: "a list of allow rules such as [{ check: 'interface.user', reason: 'runs as non-root' }]",
      items: { $ref: '#/definitions/allowRule' },
    },
    knownFailures: {
      type: 'array',
      description:
        "a list of upstream suite cases known to fail on rebuilt, such as [{ suite: 'cpython', case: 'test_ssl', reason: 'no network' }]",
      items: { $ref: '#/definitions/knownFailure' },
    },
  },
  definitions: {
    allowRule: {
      type: 'object',
      description: "an allow rule such as { check: 'interface.labels', key: 'org.opencontainers.*' }",
      additionalProperties: false,
      required: ['check'],
      properties: {
        check: {
          type: 'string',
          minLength: 1,
          description: "a check id or glob such as 'interface.user' or 'interface.*'",
        },
        key: {
          type: 'string',
          minLength: 1,
          description:
            "an item of the check, exact or glob, such as 'PATH', '8080/tcp' or 'org.opencontainers.*'",
        },
        suite: {
          type: 'string',
          minLength: 1,
          description: "the suite of a suite.* finding, exact or glob, such as 'cpython'",
        },
        reason: { type: 'string', description: 'why the difference is expected, shown in reports' },
      },
    },
    knownFailure: {
      type: 'object',
      description: "a known failure such as { suite: 'cpython', case: 'test_ssl', reason: 'no network' }",
      additionalProperties: false,
      required: ['case'],
      properties: {
        suite: {
          type: 'string',
          minLength: 1,
          description: "a suite name, exact or glob, such as 'cpython'; absent: any suite",
        },
        case: {
          type: 'string',
          minLength: 1,
          description: "a case name, exact or glob, such as 'test_ssl' or 'test_socket.*'",
        },
        reason: { type: 'string', description: 'why the case fails, shown in reports' },
      },
    },
  },
} as const
