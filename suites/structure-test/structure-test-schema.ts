/** JSON schema of container-structure-test's schemaVersion 2.0.0 files, as imgtest runs them. */

const str = { type: 'string' } as const
const strings = { type: 'array', items: { type: 'string' } } as const
const keyValue = {
  type: 'object',
  additionalProperties: false,
  required: ['key'],
  properties: { key: { type: 'string', minLength: 1 }, value: str, isRegex: { type: 'boolean' } },
} as const

const commandTest = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'command'],
  properties: {
    name: { type: 'string', minLength: 1, description: "the test's name" },
    command: { type: 'string', minLength: 1, description: 'the program to run' },
    args: strings,
    envVars: { type: 'array', items: keyValue },
    setup: { type: 'array', items: strings },
    teardown: { type: 'array', items: strings },
    expectedOutput: strings,
    excludedOutput: strings,
    expectedError: strings,
    excludedError: strings,
    exitCode: { type: 'integer' },
  },
} as const

const fileExistenceTest = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'path'],
  properties: {
    name: { type: 'string', minLength: 1, description: "the test's name" },
    path: { type: 'string', minLength: 1, description: 'an absolute path in the image' },
    shouldExist: { type: 'boolean' },
    permissions: { type: 'string', description: 'a mode as ls prints it, e.g. -rwxr-xr-x' },
    uid: { type: 'integer' },
    gid: { type: 'integer' },
    isExecutableBy: { type: 'string', enum: ['owner', 'group', 'other', 'any'] },
  },
} as const

const fileContentTest = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'path'],
  properties: {
    name: { type: 'string', minLength: 1, description: "the test's name" },
    path: { type: 'string', minLength: 1, description: 'an absolute path in the image' },
    expectedContents: strings,
    excludedContents: strings,
  },
} as const

const metadataTest = {
  type: 'object',
  additionalProperties: false,
  properties: {
    envVars: { type: 'array', items: keyValue },
    // Some older CST docs spell it `env`.
    env: { type: 'array', items: keyValue },
    labels: { type: 'array', items: keyValue },
    exposedPorts: strings,
    unexposedPorts: strings,
    volumes: strings,
    unmountedVolumes: strings,
    entrypoint: strings,
    cmd: strings,
    workdir: str,
    user: str,
  },
} as const

const licenseTest = {
  type: 'object',
  additionalProperties: false,
  properties: { debian: { type: 'boolean' }, files: strings },
} as const

export const structureTestSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['schemaVersion'],
  properties: {
    schemaVersion: { type: 'string', enum: ['2.0.0'], description: "the CST schema version, '2.0.0'" },
    globalEnvVars: { type: 'array', items: keyValue },
    commandTests: { type: 'array', items: commandTest },
    fileExistenceTests: { type: 'array', items: fileExistenceTest },
    fileContentTests: { type: 'array', items: fileContentTest },
    metadataTest,
    licenseTests: { type: 'array', items: licenseTest },
  },
} as const

export interface KeyValue {
  key: string
  value?: string
  isRegex?: boolean
}

export interface CommandTest {
  name: string
  command: string
  args?: string[]
  envVars?: KeyValue[]
  setup?: string[][]
  teardown?: string[][]
  expectedOutput?: string[]
  excludedOutput?: string[]
  expectedError?: string[]
  excludedError?: string[]
  exitCode?: number
}

export interface FileExistenceTest {
  name: string
  path: string
  shouldExist?: boolean
  permissions?: string
  uid?: number
  gid?: number
  isExecutableBy?: 'owner' | 'group' | 'other' | 'any'
}

export interface FileContentTest {
  name: string
  path: string
  expectedContents?: string[]
  excludedContents?: string[]
}

export interface MetadataTest {
  envVars?: KeyValue[]
  env?: KeyValue[]
  labels?: KeyValue[]
  exposedPorts?: string[]
  unexposedPorts?: string[]
  volumes?: string[]
  unmountedVolumes?: string[]
  entrypoint?: string[]
  cmd?: string[]
  workdir?: string
  user?: string
}

export interface LicenseTest {
  debian?: boolean
  files?: string[]
}

/** One parsed CST file. */
export interface StructureTestFile {
  schemaVersion: '2.0.0'
  globalEnvVars?: KeyValue[]
  commandTests?: CommandTest[]
  fileExistenceTests?: FileExistenceTest[]
  fileContentTests?: FileContentTest[]
  metadataTest?: MetadataTest
  licenseTests?: LicenseTest[]
}
