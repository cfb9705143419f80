// Code blocks are coloured for the languages people paste most, and only
// when the fence names one (```ts): no guessing, which is slow and often
// wrong on short snippets. Aliases (js, ts, py, sh, html, yml …) come with
// each grammar.
import type { Root } from 'hast'
import rehypeHighlight from 'rehype-highlight'
import type { VFile } from 'vfile'
import bash from 'highlight.js/lib/languages/bash'
import c from 'highlight.js/lib/languages/c'
import cpp from 'highlight.js/lib/languages/cpp'
import csharp from 'highlight.js/lib/languages/csharp'
import css from 'highlight.js/lib/languages/css'
import diff from 'highlight.js/lib/languages/diff'
import go from 'highlight.js/lib/languages/go'
import java from 'highlight.js/lib/languages/java'
import javascript from 'highlight.js/lib/languages/javascript'
import json from 'highlight.js/lib/languages/json'
import python from 'highlight.js/lib/languages/python'
import rust from 'highlight.js/lib/languages/rust'
import shell from 'highlight.js/lib/languages/shell'
import sql from 'highlight.js/lib/languages/sql'
import typescript from 'highlight.js/lib/languages/typescript'
import xml from 'highlight.js/lib/languages/xml'
import yaml from 'highlight.js/lib/languages/yaml'

// Made once: react-markdown builds its pipeline on every render, and
// rehype-highlight registers every grammar each time it is set up (about 5 ms).
const highlight = rehypeHighlight({
  detect: false,
  languages: { bash, c, cpp, csharp, css, diff, go, java, javascript, json, python, rust, shell, sql, typescript, xml, yaml }
})

/** rehype-highlight with the grammars above, as a plugin that reuses one set-up. */
export function rehypeCodeColours(): (tree: Root, file: VFile) => undefined {
  return highlight
}
