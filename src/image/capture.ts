import type { CaptureSpec } from './file-index.ts'

/**
 * The files whose content the checks read, captured once while the layers stream. Everything
 * else is indexed by metadata only. Adding a path here changes the layer cache key, so cached
 * indexes are rebuilt with it.
 */
export const DEFAULT_CAPTURE: CaptureSpec = {
  content: [
    // users and groups
    '/etc/passwd',
    '/etc/group',
    // the distribution
    '/etc/os-release',
    '/usr/lib/os-release',
    // dpkg, and distroless images' one-file-per-package status.d
    '/var/lib/dpkg/status',
    '/var/lib/dpkg/status.d/*',
    // apk
    '/lib/apk/db/installed',
    // rpm (sqlite backend)
    '/var/lib/rpm/rpmdb.sqlite',
    '/usr/lib/sysimage/rpm/rpmdb.sqlite',
    // Python distributions
    '/**/*.dist-info/METADATA',
    '/**/*.egg-info/PKG-INFO',
    // Node packages
    '/**/node_modules/*/package.json',
    '/**/node_modules/@*/*/package.json',
  ],
  // rpmdb.sqlite of a large distro is tens of MB; everything else is far smaller.
  maxContentBytes: 64 * 1024 * 1024,
}
