import { describe, expect, test } from 'vitest'
import type { InstalledPackage } from '../../image/inventory/package.ts'
import {
  comparableName,
  identityOfPackage,
  identityOfPurl,
  sameVersion,
  sourceOf,
} from './package-identity.ts'

const pkg = (fields: Partial<InstalledPackage>): InstalledPackage => ({
  ecosystem: 'deb',
  name: 'x',
  version: '1',
  purl: 'pkg:deb/debian/x@1',
  foundIn: '/var/lib/dpkg/status',
  ...fields,
})

describe('package identity', () => {
  test('purls: ecosystem from the type, distro namespace, npm scope in the name, epoch folded in', () => {
    expect(identityOfPurl('pkg:deb/debian/libaudit1@3.0.9-1?arch=amd64&epoch=1')).toEqual({
      ecosystem: 'deb',
      distro: 'debian',
      name: 'libaudit1',
      version: '1:3.0.9-1',
      arch: 'amd64',
    })
    expect(identityOfPurl('pkg:npm/%40Types/Node@24.0.1')).toEqual({
      ecosystem: 'npm',
      name: '@types/node',
      version: '24.0.1',
    })
    expect(identityOfPurl('pkg:pypi/Zope.Interface@6.0')).toMatchObject({ name: 'zope-interface' })
    expect(identityOfPurl('pkg:generic/zlib@1.3')).toBeUndefined()
    expect(identityOfPurl('pkg:oci/app@sha256:abc')).toBeUndefined()
    expect(identityOfPurl('not a purl')).toBeUndefined()
  })

  test('names compare per ecosystem', () => {
    expect(comparableName('pypi', 'Django__Rest.framework')).toBe('django-rest-framework')
    expect(comparableName('npm', 'JSONStream')).toBe('jsonstream')
    expect(comparableName('rpm', 'NetworkManager')).toBe('NetworkManager')
    expect(comparableName('apk', 'py3-Foo')).toBe('py3-Foo')
  })

  test('versions: PEP 440 equality for PyPI, zero epochs dropped for distro packages, strings otherwise', () => {
    expect(sameVersion('pypi', '1.0', '1.0.0')).toBe(true)
    expect(sameVersion('pypi', '1.0', '1.0.post1')).toBe(false)
    expect(sameVersion('deb', '0:1.2-1', '1.2-1')).toBe(true)
    expect(sameVersion('rpm', '1:1.2-1', '1.2-1')).toBe(false)
    expect(sameVersion('npm', '1.0', '1.0.0')).toBe(false)
  })

  test('installed packages keep their fields when the purl does not parse', () => {
    expect(identityOfPackage(pkg({ name: 'Bash', version: '0:5.2', arch: 'amd64', purl: 'bad' }))).toEqual({
      ecosystem: 'deb',
      name: 'bash',
      version: '5.2',
      arch: 'amd64',
    })
  })

  test('source packages: dpkg name (version), rpm source rpm file, bare names at the binary version', () => {
    expect(sourceOf(pkg({ source: 'e2fsprogs (1.47.0-2)' }))).toEqual({
      name: 'e2fsprogs',
      version: '1.47.0-2',
    })
    expect(sourceOf(pkg({ ecosystem: 'rpm', source: 'openssl-3.0.7-27.el9.src.rpm' }))).toEqual({
      name: 'openssl',
      version: '3.0.7-27.el9',
    })
    expect(sourceOf(pkg({ source: 'audit', version: '1:3.0.9-1' }))).toEqual({
      name: 'audit',
      version: '1:3.0.9-1',
    })
    expect(sourceOf(pkg({}))).toBeUndefined()
    const recordedApart = {
      ...pkg({ source: 'e2fsprogs', version: '1.47.0-2+b2' }),
      sourceVersion: '1.47.0-2',
    }
    expect(sourceOf(recordedApart)).toEqual({ name: 'e2fsprogs', version: '1.47.0-2' })
  })
})
