import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { wordDiff } from './diff.ts'

const show = (a: string, b: string) =>
  wordDiff(a, b)
    .map((p) => (p.kind === 'same' ? p.text : p.kind === 'add' ? `{+${p.text}+}` : `[-${p.text}-]`))
    .join('')

describe('wordDiff', () => {
  it('marks a changed word', () => {
    assert.equal(show('Why did you restart it?', 'How did you restart it?'), '[-Why -]{+How +}did you restart it?')
  })
  it('marks added and removed words', () => {
    assert.equal(show('What did you see?', 'What did you see first?'), 'What did you [-see?-]{+see first?+}')
    assert.equal(show('a b c d e', 'a c d e'), 'a [-b -]c d e')
  })
  it('shows a rewrite whole instead of word salad', () => {
    assert.equal(
      show('How did this first reach you, and what were you doing?', 'What led up to restarting the database?'),
      '[-How did this first reach you, and what were you doing?-]{+What led up to restarting the database?+}',
    )
  })
  it('handles empty sides', () => {
    assert.equal(show('', 'new text'), '{+new text+}')
    assert.equal(show('old', ''), '[-old-]')
    assert.deepEqual(wordDiff('', ''), [])
  })
  it('keeps the texts when put back together', () => {
    const a = 'Before we start: may I take notes, and is it all right to record?'
    const b = 'Before we begin: may I take notes? Is it all right to record this chat?'
    const parts = wordDiff(a, b)
    assert.equal(
      parts
        .filter((p) => p.kind !== 'add')
        .map((p) => p.text)
        .join(''),
      a,
    )
    assert.equal(
      parts
        .filter((p) => p.kind !== 'del')
        .map((p) => p.text)
        .join(''),
      b,
    )
  })
})
