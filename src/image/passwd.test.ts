import { describe, expect, test } from 'vitest'
import { parseGroup, parsePasswd, readAccounts } from './passwd.ts'
import { fileIndexOf, symlink } from './testdata/file-index-of.ts'

describe('parsePasswd', () => {
  test('reads every field; comments, blank lines and CRLF are fine', () => {
    const text =
      '# users\r\nroot:x:0:0:root:/root:/bin/bash\r\n\r\n  \nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n'
    expect(parsePasswd(text)).toEqual({
      entries: [
        { name: 'root', uid: 0, gid: 0, gecos: 'root', home: '/root', shell: '/bin/bash' },
        {
          name: 'nobody',
          uid: 65534,
          gid: 65534,
          gecos: 'nobody',
          home: '/nonexistent',
          shell: '/usr/sbin/nologin',
        },
      ],
      notes: [],
    })
  })

  test('an empty shell and gecos are kept empty', () => {
    expect(parsePasswd('app:x:1000:1000:::').entries).toEqual([
      { name: 'app', uid: 1000, gid: 1000, gecos: '', home: '', shell: '' },
    ])
  })

  test('short lines, bad ids, NIS lines and repeats become notes, with line numbers', () => {
    const text = [
      'root:x:0:0:root:/root:/bin/sh',
      'short:x:1',
      'bad:x:abc:0::/:/bin/sh',
      'huge:x:99999999999:0::/:/bin/sh',
      '+::::::',
      'root:x:5:5::/:/bin/false',
      'odd:x:7:7::/home/odd:/bin/sh:extra',
    ].join('\n')
    const { entries, notes } = parsePasswd(text)
    expect(entries.map((entry) => [entry.name, entry.uid, entry.shell])).toEqual([
      ['root', 0, '/bin/sh'],
      ['odd', 7, '/bin/sh:extra'],
    ])
    expect(notes).toEqual([
      'line 2: 3 fields, expected 7; skipped',
      'line 3: bad name, uid or gid ("bad:x:abc:0"); skipped',
      'line 4: bad name, uid or gid ("huge:x:99999999999:0"); skipped',
      'line 5: NIS entry "+" is not resolved; skipped',
      'line 6: user root repeated; the first line wins',
      'line 7: 8 fields, expected 7; the rest is the shell',
    ])
  })

  test('an empty file has no users and no notes', () => {
    expect(parsePasswd('')).toEqual({ entries: [], notes: [] })
  })
})

describe('parseGroup', () => {
  test('reads name, gid and members', () => {
    expect(parseGroup('root:x:0:\nadm:x:4:syslog,alice\n# x\n').entries).toEqual([
      { name: 'root', gid: 0, members: [] },
      { name: 'adm', gid: 4, members: ['syslog', 'alice'] },
    ])
  })

  test('a line without the members field is read; shorter or bad lines are notes', () => {
    const { entries, notes } = parseGroup('staff:x:50\nbad:x\nnogid:x::\nstaff:x:51:\n-nis:x:1:')
    expect(entries).toEqual([{ name: 'staff', gid: 50, members: [] }])
    expect(notes).toEqual([
      'line 1: 3 fields, expected 4',
      'line 2: 2 fields, expected 4; skipped',
      'line 3: bad name or gid ("nogid:x:"); skipped',
      'line 4: group staff repeated; the first line wins',
      'line 5: NIS entry "-nis" is not resolved; skipped',
    ])
  })
})

describe('readAccounts', () => {
  test('reads the captured files, following a symlink inside the image', () => {
    const index = fileIndexOf([symlink('/etc/passwd', '../usr/share/base-passwd/passwd')], {
      contents: {
        '/usr/share/base-passwd/passwd': 'root:x:0:0:root:/root:/bin/sh\n',
        '/etc/group': 'root:x:0:\n',
      },
    })
    const accounts = readAccounts(index)
    expect(accounts.passwd?.entries.map((user) => user.name)).toEqual(['root'])
    expect(accounts.group?.entries.map((group) => group.name)).toEqual(['root'])
  })

  test('an image without the files, or whose content was not captured, has neither', () => {
    expect(readAccounts(fileIndexOf([]))).toEqual({})
    const uncaptured = fileIndexOf([{ path: '/etc/passwd', size: 100 }])
    expect(readAccounts(uncaptured)).toEqual({})
  })
})
