import { describe, expect, test } from 'vitest'
import { fixtures } from '../fixtures/images.ts'
import { pair } from '../src/compare/image-pair.ts'
import { imgtestMatchers } from './index.ts'

expect.extend(imgtestMatchers)

const changed = pair({ upstream: fixtures.ifaceRef, rebuilt: 'imgtest-fixture/iface-env-changed:1' })

describe('toHaveInterfaceParity (real engine)', () => {
  test('passes on a pair that differs only in env order', async () => {
    await expect(
      pair({ upstream: fixtures.ifaceRef, rebuilt: 'imgtest-fixture/iface-env-reordered:1' }),
    ).toHaveInterfaceParity()
  })

  test('fails with the findings table', async () => {
    const error = await expect(changed)
      .toHaveInterfaceParity()
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(Error)
    expect(String((error as Error).message)).toMatch(/1 difference not allowed by the policy/)
    expect(String((error as Error).message)).toMatch(/interface\.env\s+B\s+2\s+3\s+FAIL/)
  })

  test('a policy given to the matcher allows the difference', async () => {
    await expect(changed).toHaveInterfaceParity({ allow: [{ check: 'interface.env', key: 'B' }] })
  })

  test('.not passes when there is a difference', async () => {
    await expect(changed).not.toHaveInterfaceParity()
  })

  test('anything but a pair is a usage error', async () => {
    await expect(expect('example/web:1').toHaveInterfaceParity()).rejects.toThrow(
      /toHaveInterfaceParity\(\) expects a pair made by pair\(\{ upstream, rebuilt \}\), received string/,
    )
  })

  test('an inline policy with a bad key fails with its path', async () => {
    await expect(
      expect(changed).toHaveInterfaceParity({ allow: [{ chek: 'interface.env' }] } as never),
    ).rejects.toThrow(/unknown key 'chek' at \/allow\/0\/chek in toHaveInterfaceParity\(\)/)
  })
})

describe('toHaveSizeParity (real engine)', () => {
  const size = pair({ upstream: fixtures.sizeSmall, rebuilt: fixtures.sizeBig })

  test('a rebuilt image twice as big fails at the default ratio', async () => {
    await expect(expect(size).toHaveSizeParity()).rejects.toThrow(/size\.total/)
  })

  test('passes with a ratio and slack that cover it', async () => {
    await expect(size).toHaveSizeParity({ maxRatio: 1, slackBytes: 3_000_000 })
  })
})
