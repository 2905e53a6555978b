"""Screenplay assistance: bring your own script, and a writer at your side.

- `script_import`: a person's script (Fountain, Final Draft .fdx, plain text or Markdown)
  becomes a film folder whose bible is derived from the script, kept as a hand edit.
- `proposals`: every change a writer suggests is saved as a proposal, shown as a diff and
  written only when a person accepts it (all of it, or chosen hunks).
- `requests`: the built-in requests (fit to duration, punch up, alternatives, tone, fix
  check, brand, translate) and which writer can do each.
- `house` / `llm`: the offline house assistant and the language-model one.
"""
