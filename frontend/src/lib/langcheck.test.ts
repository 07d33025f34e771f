import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  applyReplacement,
  flagSnippet,
  isRewrite,
  placeFlags,
  remapFlags,
  rewriteRange,
  segments,
  sentenceAround,
  type ApiFlag,
  type PlacedFlag,
} from './langcheck.ts'

const flag = (start: number, end: number, extra: Partial<ApiFlag> = {}): ApiFlag => ({
  category: 'why_question',
  severity: 'warning',
  start,
  end,
  text: '',
  explanation: '',
  suggestions: ['x'],
  confidence: 0.9,
  ...extra,
})

const placed = (from: number, to: number): PlacedFlag => ({ ...flag(from, to), from, to })

describe('placeFlags', () => {
  it('keeps offsets in plain text', () => {
    const [f] = placeFlags('Why did you restart it?', [flag(0, 3)])
    assert.deepEqual([f?.from, f?.to], [0, 3])
  })
  it('converts code points to UTF-16 after an emoji', () => {
    // "🙂" is one code point and two UTF-16 units.
    const text = 'It was a typo 🙂. Obviously the on-call knew.'
    const cpStart = Array.from(text).indexOf('O')
    const [f] = placeFlags(text, [flag(cpStart, cpStart + 9)])
    assert.equal(text.slice(f!.from, f!.to), 'Obviously')
  })
  it('drops flags past the end', () => {
    assert.deepEqual(placeFlags('short', [flag(3, 40)]), [])
  })
})

describe('remapFlags', () => {
  const old = 'Why did you restart it? It was just a typo.'
  const why = placed(0, 3)
  const just = placed(31, 35)
  it('keeps flags before the edit and shifts flags after it', () => {
    const next = 'Why did you restart the database? It was just a typo.'
    const out = remapFlags(old, next, [why, just])
    assert.equal(out.length, 2)
    assert.equal(next.slice(out[1]!.from, out[1]!.to), 'just')
    assert.equal(next.slice(out[0]!.from, out[0]!.to), 'Why')
  })
  it('drops a flag the edit touched', () => {
    const next = 'How did you restart it? It was just a typo.'
    const out = remapFlags(old, next, [why, just])
    assert.deepEqual(
      out.map((f) => next.slice(f.from, f.to)),
      ['just'],
    )
  })
  it('returns the same flags for the same text', () => {
    const flags = [why]
    assert.equal(remapFlags(old, old, flags), flags)
  })
})

describe('segments', () => {
  it('cuts plain and flagged runs, overlaps included', () => {
    const s = segments(20, [placed(2, 6), placed(4, 10)])
    assert.deepEqual(
      s.map((x) => [x.from, x.to, x.flags]),
      [
        [0, 2, []],
        [2, 4, [0]],
        [4, 6, [0, 1]],
        [6, 10, [1]],
        [10, 20, []],
      ],
    )
  })
  it('is one plain run without flags', () => {
    assert.deepEqual(segments(5, []), [{ from: 0, to: 5, flags: [] }])
  })
})

describe('sentenceAround', () => {
  const text = 'It started at 14:00. Why did you restart the database? Then, e.g. the cache, went cold.\nNext line'
  it('finds the sentence of a flag', () => {
    const from = text.indexOf('Why')
    const { start, end } = sentenceAround(text, from, from + 3)
    assert.equal(text.slice(start, end), 'Why did you restart the database?')
  })
  it('does not end a sentence at an abbreviation', () => {
    const from = text.indexOf('cache')
    const { start, end } = sentenceAround(text, from, from + 5)
    assert.equal(text.slice(start, end), 'Then, e.g. the cache, went cold.')
  })
  it('stops at a line break', () => {
    const from = text.indexOf('Next')
    const { start, end } = sentenceAround(text, from, from + 4)
    assert.equal(text.slice(start, end), 'Next line')
  })
  it('takes an unfinished sentence to the end', () => {
    const t = 'Why did you restart the database'
    assert.deepEqual(sentenceAround(t, 0, 3), { start: 0, end: t.length })
  })
  it('keeps closing quotes with their sentence', () => {
    const t = 'She said "it broke." Why did it?'
    const from = t.indexOf('Why')
    const { start, end } = sentenceAround(t, from, from + 3)
    assert.equal(t.slice(start, end), 'Why did it?')
  })
})

describe('isRewrite', () => {
  const cases: Array<[string, string, string, 'question' | 'note' | 'summary', boolean]> = [
    [
      'a question rewrite of a why question',
      'What led up to restarting the database?',
      'Why did you restart the database?',
      'question',
      true,
    ],
    [
      'an unfinished guide question counts as a question',
      'What led up to restarting the database?',
      'Why did you restart the database',
      'question',
      true,
    ],
    ['a statement rewrite in a note', 'It was a typo.', 'It was just a typo.', 'note', true],
    [
      'a direction that says what to do',
      'Describe what was known and done at the time, and what made the other path hard to see.',
      'He should have known.',
      'note',
      false,
    ],
    [
      'an instruction with a quoted example',
      'Ask: "What was the on-call seeing at that point, and what options were there?"',
      'Why did the on-call not page?',
      'question',
      false,
    ],
    [
      'a question offered for a statement is a question to ask oneself',
      'What made this visible afterwards, and what did it look like at the time?',
      'Obviously the disk was filling up.',
      'note',
      false,
    ],
    [
      'two sentences are a direction',
      'What did the team know and see at that point? Describe what made it visible later and not then.',
      'The team should have known.',
      'note',
      false,
    ],
    [
      'keeping a quote is a direction',
      'Keep the quote and explore it with them: "You said \'obviously\' — what was going on?"',
      '"Obviously the wrong call," he said.',
      'note',
      false,
    ],
    ['a statement offered for a question', 'The on-call should have known.', 'Why did it fail?', 'question', false],
  ]
  for (const [name, suggestion, sentence, kind, want] of cases) {
    it(name, () => {
      assert.equal(isRewrite(suggestion, sentence, kind), want)
    })
  }
})

describe('rewriteRange', () => {
  it('replaces the flagged sentence only', () => {
    const text = 'How are you? Why did you restart the database? Who else knows?'
    const from = text.indexOf('Why')
    const r = rewriteRange(text, { from, to: from + 3 }, 'What led up to restarting the database?')
    assert.equal(applyReplacement(text, r), 'How are you? What led up to restarting the database? Who else knows?')
  })
  it('keeps a label before the flag', () => {
    const text = 'Open question: why did the consumer stop?'
    const from = text.indexOf('why')
    const r = rewriteRange(text, { from, to: from + 3 }, 'What led up to the consumer stopping?')
    assert.equal(applyReplacement(text, r), 'Open question: What led up to the consumer stopping?')
  })
  it('replaces a label the rewrite brings its own of', () => {
    const text = 'Root cause: the pool was capped at 20.'
    const r = rewriteRange(text, { from: 0, to: 10 }, 'Contributors: the pool was capped at 20.')
    assert.equal(applyReplacement(text, r), 'Contributors: the pool was capped at 20.')
  })
  it('works after an emoji', () => {
    const text = 'Thanks 🙂. It was just a typo. Next.'
    const [f] = placeFlags(text, [flag(Array.from(text).indexOf('j'), Array.from(text).indexOf('j') + 4)])
    const r = rewriteRange(text, f!, 'It was a typo.')
    assert.equal(applyReplacement(text, r), 'Thanks 🙂. It was a typo. Next.')
  })
})

describe('flagSnippet', () => {
  it('stretches a one-word flag to a few words', () => {
    const text = 'Why did you restart the database?'
    assert.equal(flagSnippet(text, { from: 0, to: 3 }), 'Why did you…')
  })
  it('drops closing quotes and stops at the sentence end', () => {
    const text = 'She said "obviously my mistake". Then we left.'
    const from = text.indexOf('obviously')
    assert.equal(flagSnippet(text, { from, to: from + 9 }), 'obviously my mistake')
  })
  it('shows a flag that ends its sentence whole', () => {
    const text = 'The on-call should have known.'
    const from = text.indexOf('should')
    assert.equal(flagSnippet(text, { from, to: from + 17 }), 'should have known')
  })
})
